package org.engagement4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The provenance record and its JSON form. */
class ProvenanceTest {

    @Test
    void jsonHasEveryField() throws Exception {
        Provenance p = new Provenance("ab".repeat(32), 17, Provider.CUDA, "0.1.0", "1.22.0",
                "17.0.15+6");
        JsonNode j = new ObjectMapper().readTree(p.toJson());
        assertEquals("ab".repeat(32), j.get("model_sha256").asText());
        assertEquals(17, j.get("opset").asInt());
        assertEquals("CUDA", j.get("provider").asText());
        assertEquals("0.1.0", j.get("library_version").asText());
        assertEquals("1.22.0", j.get("onnxruntime_version").asText());
        assertEquals("17.0.15+6", j.get("java_version").asText());
        assertEquals("FP32", j.get("precision").asText());
        assertEquals(7, j.size());
        Provenance q = new Provenance("ab".repeat(32), 17, Provider.CPU, "0.1.0", "1.22.0",
                "17.0.15+6", Precision.INT8);
        assertEquals("INT8", new ObjectMapper().readTree(q.toJson()).get("precision").asText());
    }

    @Test
    void badComponentsAreRefused() {
        IllegalArgumentException sha = assertThrows(IllegalArgumentException.class,
                () -> new Provenance("AB".repeat(32), 13, Provider.CPU, "v", "v", "v"));
        assertEquals("modelSha256: \"" + "AB".repeat(32) + "\" is not 64 lower-case hex digits",
                sha.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Provenance("0".repeat(64), 0, Provider.CPU, "v", "v", "v"));
        assertThrows(NullPointerException.class,
                () -> new Provenance("0".repeat(64), 13, null, "v", "v", "v"));
        assertThrows(NullPointerException.class,
                () -> new Provenance("0".repeat(64), 13, Provider.CPU, "v", "v", "v", null));
    }
}

package org.engagement4j.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelsTest {

    private static ModelProto tiny() {
        GraphBuilder g = GraphBuilder.named("tiny");
        g.input("x", Dim.of(2));
        g.node("Relu", "/r", List.of("x"), List.of("y"), Attributes.none());
        g.output("y", Dim.of(2));
        return g.build();
    }

    @Test
    void writeReadRoundTripIsAtomicAndHashed(@TempDir Path dir) throws Exception {
        ModelProto m = tiny();
        Path file = dir.resolve("sub/model.onnx");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old content");
        OnnxModels.write(m, file);
        assertEquals(m, OnnxModels.read(file));
        assertArrayEquals(OnnxModels.toBytes(m), Files.readAllBytes(file));
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList(), "no temporary file is left behind");
        }
        String fileHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertEquals(fileHash, OnnxModels.sha256(m));
        // Missing parent folders are created.
        Path deep = dir.resolve("a/b/c.onnx");
        OnnxModels.write(m, deep);
        assertEquals(m, OnnxModels.read(deep));
    }

    @Test
    void corruptFilesNameTheFile(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "this is not a model", StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxModels.read(text));
        assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("not an ONNX model"),
                e.getMessage());
        byte[] bytes = OnnxModels.toBytes(tiny());
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> OnnxModels.read(cut));
        assertTrue(t.getMessage().contains("cut.onnx"), t.getMessage());
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> OnnxModels.read(empty));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> OnnxModels.read(dir.resolve("missing.onnx")));
    }
}

package org.engagement4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizationFilesTest {

    @TempDir
    Path tmp;

    @Test
    void prefersTheModelsOwnFileThenTheSharedOne() throws Exception {
        Path model = tmp.resolve("task.ONNX");
        assertEquals(List.of(tmp.resolve("task.normalization.json").toAbsolutePath(),
                tmp.resolve("normalization.json").toAbsolutePath()), NormalizationFiles.candidates(model));
        assertEquals(Optional.empty(), NormalizationFiles.find(model));
        Path shared = Files.writeString(tmp.resolve("normalization.json"), "{}");
        assertEquals(Optional.of(shared.toAbsolutePath()), NormalizationFiles.find(model));
        Path own = Files.writeString(tmp.resolve("task.normalization.json"), "{}");
        assertEquals(Optional.of(own.toAbsolutePath()), NormalizationFiles.find(model));
        // a folder with the candidate's name is not a statistics file
        Files.delete(own);
        Files.createDirectory(own);
        assertEquals(Optional.of(shared.toAbsolutePath()), NormalizationFiles.find(model));
    }

    @Test
    void baseNameDropsOnlyTheOnnxExtension() {
        assertEquals("m.int8", NormalizationFiles.baseName(Path.of("a", "m.int8.onnx")));
        assertEquals("model.pb", NormalizationFiles.baseName(Path.of("model.pb")));
        assertThrows(NullPointerException.class, () -> NormalizationFiles.find(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NormalizationFiles.candidates(Path.of("/")));
        assertTrue(e.getMessage().contains("not a file name"), e.getMessage());
    }
}

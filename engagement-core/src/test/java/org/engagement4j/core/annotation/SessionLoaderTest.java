package org.engagement4j.core.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.engagement4j.core.elan.ElanFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionLoaderTest {

    @TempDir
    Path dir;

    private static EafText coded(long participatingEnd) {
        return EafText.reference().span("participating", 0, participatingEnd, "self");
    }

    @Test
    void readsAFolderIntoSessionsSortedById() throws IOException {
        coded(1_000).write(dir, "s2_ew_20220214.eaf");
        coded(2_000).write(dir, "s10_mf_20220215.eaf");
        coded(3_000).write(dir, "s10_ew_20220301.eaf");
        coded(4_000).write(dir, "s1_myz_20220216.eaf");
        Files.writeString(dir.resolve("s1.mp4"), "not a video");
        Files.writeString(dir.resolve("s1_myz_20220216.pfsx"), "<prefs/>");
        coded(5_000).write(dir, "notes.eaf");
        Files.writeString(dir.resolve(".DS_Store"), "x");
        Files.createDirectory(dir.resolve("old"));
        coded(6_000).write(dir.resolve("old"), "s3_ew_20220101.eaf");

        SessionFolder f = SessionLoader.create().load(dir);

        assertEquals(List.of("s1", "s10", "s2"), f.sessions().stream()
                .map(CodedSession::session).toList());
        assertEquals(List.of("ew", "mf"), f.session("s10").coderNames());
        assertEquals(2_000, f.session("s10").coder("mf")
                .engaged(Task.DOLLS, Variable.TASK_ENGAGEMENT).durationMs());
        assertEquals(3_000, f.session("s10").coder("ew")
                .engaged(Task.DOLLS, Variable.TASK_ENGAGEMENT).durationMs());
        assertEquals(List.of(dir.resolve("s10_ew_20220301.eaf"), dir.resolve("s10_mf_20220215.eaf"),
                dir.resolve("s1_myz_20220216.eaf"), dir.resolve("s2_ew_20220214.eaf")),
                f.annotationFiles());
        assertEquals(List.of(dir.resolve("notes.eaf"), dir.resolve("s1.mp4"),
                dir.resolve("s1_myz_20220216.pfsx")), f.unmatchedFiles());
        assertEquals(dir, f.folder());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.session("s3"));
        assertTrue(e.getMessage().contains("[s1, s10, s2]"), e.getMessage());
    }

    @Test
    void strictFileNamesRejectAMisnamedAnnotationFile() throws IOException {
        coded(1_000).write(dir, "s1_ew_20220214.eaf");
        coded(1_000).write(dir, "s1-mf.EAF");
        Files.writeString(dir.resolve("s1.mp4"), "video");
        SessionLoader strict = SessionLoader.create().withStrictFileNames(true);
        assertTrue(strict.strictFileNames());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.load(dir));
        assertTrue(e.getMessage().contains("s1-mf.EAF"), e.getMessage());
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void twoFilesForOneSessionAndCoderAreAnError() throws IOException {
        coded(1_000).write(dir, "s1_ew_20220214.eaf");
        coded(1_000).write(dir, "s1_ew_20220301.eaf");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionLoader.create().load(dir));
        assertTrue(e.getMessage().contains("s1_ew_20220301.eaf"), e.getMessage());
        assertTrue(e.getMessage().contains("s1_ew_20220214.eaf"), e.getMessage());
        assertTrue(e.getMessage().contains("two files"), e.getMessage());
    }

    @Test
    void folderWithoutMatchingFilesIsAnError() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionLoader.create().load(dir));
        assertTrue(e.getMessage().contains("no file matches"), e.getMessage());
        assertTrue(e.getMessage().contains("readme.txt"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> SessionLoader.create().load(dir.resolve("readme.txt")));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void errorsInsideAFileNameTheFile() throws IOException {
        Path bad = coded(1_000).without("attending").write(dir, "s1_ew_20220214.eaf");
        RoleMappingException e = assertThrows(RoleMappingException.class,
                () -> SessionLoader.create().load(dir));
        assertEquals(bad.toString(), e.source());
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());

        Files.writeString(bad, "<ANNOTATION_DOCUMENT");
        ElanFormatException x = assertThrows(ElanFormatException.class,
                () -> SessionLoader.create().load(dir));
        assertEquals(bad.toString(), x.source());

        Files.delete(bad);
        coded(1_000).write(dir, "s1_ew_20221399.eaf");
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> SessionLoader.create().load(dir));
        assertTrue(d.getMessage().contains("s1_ew_20221399.eaf"), d.getMessage());
    }

    @Test
    void customPatternAndMapping() throws IOException {
        new EafText().span("phase", 0, 1_000, "people").span("phase", 1_000, 2_000, "eggs")
                .span("phase", 2_000, 3_000, "drums").tier("participating").tier("attending")
                .write(dir, "anna-s7.eaf");
        SessionLoader loader = SessionLoader.create()
                .withPattern(FileNamePattern.of("(?<coder>[a-z]+)-(?<session>s\\d+)\\.eaf"))
                .withRoleMapping(RoleMapping.reference().withTaskTier("phase"));
        assertEquals("phase", loader.roleMapping().taskTier());
        SessionFolder f = loader.load(dir);
        assertEquals(List.of("anna"), f.session("s7").coderNames());
        assertEquals(List.of(), f.unmatchedFiles());
    }
}

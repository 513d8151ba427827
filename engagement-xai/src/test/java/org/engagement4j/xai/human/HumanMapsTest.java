package org.engagement4j.xai.human;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import org.engagement4j.metrics.maps.MapKind;
import org.engagement4j.metrics.maps.MapStandardizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The painting tool's snippet folders: round trips, the reference's own files, bad files. */
class HumanMapsTest {

    @TempDir
    Path tmp;

    /** What the reference tool's save_data() writes: json.dump(info, indent=4), seconds only. */
    private static final String REFERENCE_INFO = "{\n"
            + "    \"saved\": \"2022-03-01 10:15:00.123456\",\n"
            + "    \"sample\": {\n"
            + "        \"session\": \"s07\",\n"
            + "        \"annotator\": \"mf\",\n"
            + "        \"start_time_s\": 83.2,\n"
            + "        \"target_variable\": \"attending\",\n"
            + "        \"consensus_label\": 1.0\n"
            + "    },\n"
            + "    \"labels\": {\n"
            + "        \"participating\": \"self\",\n"
            + "        \"attending\": \"no\"\n"
            + "    }\n"
            + "}";

    private static HumanMapInfo info() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("participating", "joint");
        labels.put("attending", "excited");
        return new HumanMapInfo("s12", "ew", 120_480, "participating", 0, labels,
                "2024-05-06 07:08:09");
    }

    private static Volume ramp(int t, int h, int w) {
        double[] v = new double[t * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((i % 97) / 96.0);
        }
        return Volume.of(v, t, h, w);
    }

    @Test
    void roundTrip() throws Exception {
        HumanAttentionMap m = new HumanAttentionMap(info(), ramp(3, 16, 20));
        Path dir = tmp.resolve(m.info().directoryName(4));
        HumanMaps.write(dir, m);
        assertEquals("snippet_4__ew_s12_120s_participating", dir.getFileName().toString());
        HumanAttentionMap back = HumanMaps.read(dir);
        assertEquals(m, back);
        NpyArray a = Npy.read(dir.resolve(HumanMaps.MAP_FILE));
        assertEquals(NpyArray.DType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {3, 16, 20}, a.shape());
        String json = Files.readString(dir.resolve(HumanMaps.INFO_FILE));
        assertTrue(json.contains("\"start_time_s\" : 120.48"), json);
        assertTrue(json.contains("\"start_ms\" : 120480"), json);
        // Writing again into the existing folder replaces both files.
        HumanAttentionMap other = new HumanAttentionMap(info(), Volume.filled(0.5, 1, 2, 2));
        HumanMaps.write(dir, other);
        assertEquals(other, HumanMaps.read(dir));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary folder is left beside the snippet");
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary file is left in the snippet");
        }
    }

    @Test
    void readsTheReferenceToolsFiles() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("snippet_0__mf_s07_83s_attending"));
        Files.writeString(dir.resolve("info.json"), REFERENCE_INFO, StandardCharsets.UTF_8);
        // np.save of a float32 [15, 160, 208] canvas, mostly unpainted.
        float[] canvas = new float[15 * 160 * 208];
        canvas[5 * 160 * 208 + 80 * 208 + 100] = 0.1f;
        Npy.write(dir.resolve("heatmap.npy"), NpyArray.ofFloats(canvas, 15, 160, 208));
        HumanAttentionMap m = HumanMaps.read(dir);
        HumanMapInfo i = m.info();
        assertEquals("s07", i.session());
        assertEquals("mf", i.annotator());
        assertEquals(83_200, i.startMs());
        assertEquals(83.2, i.startSeconds(), 0);
        assertEquals(Optional.of(Variable.SOCIAL_ENGAGEMENT), i.variable());
        assertEquals(OptionalInt.of(1), i.consensusLabel());
        assertEquals(Optional.of(true), i.painterEngaged("participating"));
        assertEquals(Optional.of(false), i.painterEngaged("attending"));
        assertEquals(Optional.empty(), i.painterEngaged("other"));
        assertEquals("2022-03-01 10:15:00.123456", i.saved());
        assertEquals("snippet_0__mf_s07_83s_attending", i.directoryName(0));
        assertFalse(m.isBlank());
        assertEquals(14, m.blankFrames().length);
        // It flows into the comparison: centre crop 160, blur, every 5th pixel -> 15 x 32 x 32.
        Volume std = MapStandardizer.reference().standardize(m.map(), MapKind.FINE);
        assertArrayEquals(new int[] {15, 32, 32}, std.shape());
        assertEquals(1, std.max(), 1e-12);
        List<HumanAttentionMap> all = HumanMaps.readAll(tmp);
        assertEquals(1, all.size());
    }

    @Test
    void readAllIsSortedByFolderName() throws Exception {
        HumanAttentionMap m = new HumanAttentionMap(info(), ramp(1, 2, 2));
        HumanMaps.write(tmp.resolve("b"), m);
        HumanMaps.write(tmp.resolve("a"), new HumanAttentionMap(new HumanMapInfo("s1", "x", 0,
                "attending", 1, Map.of(), ""), ramp(1, 2, 2)));
        Files.createDirectory(tmp.resolve("c_not_a_snippet"));
        List<HumanAttentionMap> all = HumanMaps.readAll(tmp);
        assertEquals(2, all.size());
        assertEquals("s1", all.get(0).info().session());
        assertEquals("s12", all.get(1).info().session());
        assertFalse(HumanMaps.infoJson(all.get(0).info()).contains("saved"));
    }

    @Test
    void badMapsNameTheFile() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("bad"));
        Files.writeString(dir.resolve("info.json"), REFERENCE_INFO, StandardCharsets.UTF_8);
        Npy.write(dir.resolve("heatmap.npy"), NpyArray.ofFloats(new float[] {0, 1.5f}, 1, 1, 2));
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class,
                () -> HumanMaps.read(dir));
        assertTrue(above.getMessage().contains("heatmap.npy"), above.getMessage());
        assertTrue(above.getMessage().contains("above 1"), above.getMessage());
        Npy.write(dir.resolve("heatmap.npy"), NpyArray.ofFloats(new float[] {Float.NaN}, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> HumanMaps.read(dir));
        Npy.write(dir.resolve("heatmap.npy"), NpyArray.ofFloats(new float[] {0, 1}, 2));
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> HumanMaps.read(dir));
        assertTrue(rank.getMessage().contains("expected [T, H, W]"), rank.getMessage());
        Npy.write(dir.resolve("heatmap.npy"), NpyArray.ofBytes(new byte[] {0, 1}, 1, 1, 2));
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> HumanMaps.read(dir));
        assertTrue(dtype.getMessage().contains("dtype"), dtype.getMessage());
        Files.delete(dir.resolve("heatmap.npy"));
        assertThrows(NoSuchFileException.class, () -> HumanMaps.read(dir));
    }

    @Test
    void badDescriptionsNameTheRule() {
        String src = "file x/info.json";
        assertThrows(IllegalArgumentException.class, () -> HumanMaps.parseInfo("[]", src));
        assertThrows(IllegalArgumentException.class, () -> HumanMaps.parseInfo("{", src));
        IllegalArgumentException noSample = assertThrows(IllegalArgumentException.class,
                () -> HumanMaps.parseInfo("{\"labels\": {}}", src));
        assertTrue(noSample.getMessage().startsWith(src), noSample.getMessage());
        String base = "{\"sample\": {\"session\": \"s\", \"annotator\": \"a\","
                + " \"target_variable\": \"attending\", ";
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> HumanMaps.parseInfo(base + "\"start_time_s\": 1, \"consensus_label\": 2}}",
                        src));
        assertTrue(label.getMessage().contains("consensus_label"), label.getMessage());
        IllegalArgumentException start = assertThrows(IllegalArgumentException.class,
                () -> HumanMaps.parseInfo(base + "\"consensus_label\": 0}}", src));
        assertTrue(start.getMessage().contains("start_time_s"), start.getMessage());
        IllegalArgumentException disagree = assertThrows(IllegalArgumentException.class,
                () -> HumanMaps.parseInfo(base + "\"start_time_s\": 1.5, \"start_ms\": 1600,"
                        + " \"consensus_label\": 0}}", src));
        assertTrue(disagree.getMessage().contains("disagree"), disagree.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> HumanMaps.parseInfo(base + "\"start_ms\": -5, \"consensus_label\": 0}}",
                        src));
        assertTrue(negative.getMessage().startsWith(src), negative.getMessage());
        HumanMapInfo ok = HumanMaps.parseInfo(base + "\"start_ms\": 1500, \"start_time_s\": 1.5,"
                + " \"consensus_label\": true, \"extra\": 3}, \"labels\": null}", src);
        assertEquals(1500, ok.startMs());
        assertEquals(OptionalInt.of(1), ok.consensusLabel());
        assertTrue(ok.labels().isEmpty());
        assertEquals(Optional.empty(), new HumanMapInfo("s", "a", 0, "gaze", 0, Map.of(), "")
                .variable());
        // An unknown consensus is an explicit null, kept as such through a write and a read;
        // a missing key is still refused.
        HumanMapInfo unknown = HumanMaps.parseInfo(base + "\"start_ms\": 1500,"
                + " \"consensus_label\": null}}", src);
        assertEquals(OptionalInt.empty(), unknown.consensusLabel());
        assertTrue(HumanMaps.infoJson(unknown).contains("\"consensus_label\" : null"),
                HumanMaps.infoJson(unknown));
        assertEquals(unknown, HumanMaps.parseInfo(HumanMaps.infoJson(unknown), src));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> HumanMaps.parseInfo(base + "\"start_ms\": 1500}}", src));
        assertTrue(missing.getMessage().contains("consensus_label"), missing.getMessage());
    }

    @Test
    void recordRules() {
        assertThrows(IllegalArgumentException.class,
                () -> new HumanMapInfo(" ", "a", 0, "attending", 0, Map.of(), ""));
        assertThrows(IllegalArgumentException.class,
                () -> new HumanMapInfo("s", "a", -1, "attending", 0, Map.of(), ""));
        assertThrows(IllegalArgumentException.class,
                () -> new HumanMapInfo("s", "a", 0, "attending", 3, Map.of(), ""));
        assertThrows(IllegalArgumentException.class,
                () -> new HumanAttentionMap(info(), Volume.filled(-0.1, 1, 1, 1)));
        HumanAttentionMap blank = new HumanAttentionMap(info(), Volume.filled(0, 2, 2, 2));
        assertTrue(blank.isBlank());
        assertArrayEquals(new int[] {0, 1}, blank.blankFrames());
        assertThrows(IllegalArgumentException.class, () -> info().directoryName(-1));
    }
}

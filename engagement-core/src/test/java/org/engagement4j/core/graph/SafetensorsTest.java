package org.engagement4j.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    /** A file with the given header text and data bytes; the length prefix is {@code declared}. */
    private static Path raw(Path dir, String name, long declared, String header, byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declared).array());
        out.write(header.getBytes(StandardCharsets.UTF_8));
        out.write(data);
        Path f = dir.resolve(name);
        Files.write(f, out.toByteArray());
        return f;
    }

    private static Path raw(Path dir, String name, String header, byte[] data) throws Exception {
        return raw(dir, name, header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    private static byte[] le(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    private static IllegalArgumentException fails(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> Safetensors.read(file));
    }

    @Test
    void writeReadRoundTrip(@TempDir Path dir) throws Exception {
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        t.put("b.weight", FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        t.put("a.bias", FloatTensor.of(new float[] {-0.5f}, 1));
        t.put("scalar", FloatTensor.of(new float[] {7}));
        t.put("empty", FloatTensor.of(new float[0], 0, 4));
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, StateDict.of("test", t));
        StateDict back = Safetensors.read(f);
        assertEquals(t, back.tensors());
        assertEquals(java.util.List.of("b.weight", "a.bias", "scalar", "empty"), java.util.List.copyOf(back.names()));
        assertEquals(f.toString(), back.source());
        // Header length is a multiple of 8, as the format recommends.
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
    }

    @Test
    void readsTorchStateDictWithInt64Buffers() throws Exception {
        Path f = Mc3Fixtures.file("narrow_w8_k2.safetensors");
        StateDict sd = Safetensors.read(f);
        Mc3Architecture arch = Mc3Architecture.mc3_18(2).withBaseWidth(8);
        assertEquals(arch.stateDictShapes().keySet(), sd.names());
        assertEquals(arch.stateDictSize(), sd.parameterCount());
        assertEquals(20, sd.otherTypes().size(), "one num_batches_tracked per BatchNorm (20)");
        assertEquals("I64", sd.otherTypes().get("stem.1.num_batches_tracked"));
        assertArrayEquals(new long[] {8, 3, 3, 7, 7}, sd.tensor("stem.0.weight").shape());
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> sd.tensor("stem.1.num_batches_tracked"));
        assertTrue(dtype.getMessage().contains("'stem.1.num_batches_tracked'") && dtype.getMessage().contains("I64")
                && dtype.getMessage().contains(f.toString()), dtype.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> sd.tensor("fc.weights"));
        assertTrue(missing.getMessage().contains("'fc.weights'") && missing.getMessage().contains("102 tensors")
                && missing.getMessage().contains("[stem.0.weight, ") && missing.getMessage().contains("62 more"),
                missing.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> sd.tensor("fc.bias", 3));
        assertTrue(shape.getMessage().contains("'fc.bias'") && shape.getMessage().contains("[2]")
                && shape.getMessage().contains("[3]"), shape.getMessage());
    }

    @Test
    void badHeaderLength(@TempDir Path dir) throws Exception {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        IllegalArgumentException big = fails(raw(dir, "big.safetensors", 1L << 40, h, le(1)));
        assertTrue(big.getMessage().contains("big.safetensors") && big.getMessage().contains("header length"),
                big.getMessage());
        IllegalArgumentException negative = fails(raw(dir, "neg.safetensors", -8, h, le(1)));
        assertTrue(negative.getMessage().contains("header length"), negative.getMessage());
        assertTrue(fails(raw(dir, "one.safetensors", 1, h, le(1))).getMessage().contains("header length"));
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(fails(tiny).getMessage().contains("tiny.safetensors"));
    }

    @Test
    void badHeaderContent(@TempDir Path dir) throws Exception {
        assertTrue(fails(raw(dir, "json.safetensors", "{not json", new byte[0])).getMessage().contains("not JSON"));
        assertTrue(fails(raw(dir, "array.safetensors", "[1, 2]  ", new byte[0])).getMessage()
                .contains("not a JSON object"));
        IllegalArgumentException dtype = fails(raw(dir, "dtype.safetensors",
                "{\"w\":{\"dtype\":\"F31\",\"shape\":[1],\"data_offsets\":[0,4]}}", le(1)));
        assertTrue(dtype.getMessage().contains("'w'") && dtype.getMessage().contains("F31"), dtype.getMessage());
        IllegalArgumentException shape = fails(raw(dir, "shape.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", le(1)));
        assertTrue(shape.getMessage().contains("'w'") && shape.getMessage().contains("shape"), shape.getMessage());
        IllegalArgumentException outside = fails(raw(dir, "outside.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", le(1)));
        assertTrue(outside.getMessage().contains("'w'") && outside.getMessage().contains("outside"),
                outside.getMessage());
        IllegalArgumentException size = fails(raw(dir, "size.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", le(1, 2)));
        assertTrue(size.getMessage().contains("'w'") && size.getMessage().contains("need 12"), size.getMessage());
        IllegalArgumentException dup = fails(raw(dir, "dup.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", le(1)));
        assertTrue(dup.getMessage().contains("dup.safetensors") && dup.getMessage().contains("'w'"), dup.getMessage());
        IllegalArgumentException offsets = fails(raw(dir, "offsets.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", le(1)));
        assertTrue(offsets.getMessage().contains("data_offsets"), offsets.getMessage());
    }

    @Test
    void metadataAndOtherDtypesAreAccepted(@TempDir Path dir) throws Exception {
        String h = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[4,12]}}    ";
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(new byte[4]);
        data.write(le(0.25f, -3f));
        StateDict sd = Safetensors.read(raw(dir, "mixed.safetensors", h, data.toByteArray()));
        assertEquals(java.util.Set.of("w"), sd.names());
        assertEquals(Map.of("h", "F16"), sd.otherTypes());
        assertArrayEquals(new float[] {0.25f, -3f}, sd.tensor("w", 1, 2).data());
    }
}

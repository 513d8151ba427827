package org.engagement4j.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input: every refusal is an {@link IllegalArgumentException} naming the file and the rule. */
class NpyMalformedTest {

    @TempDir
    Path tmp;

    /** A .npy file with the given version and raw header text, padded like NumPy pads. */
    static byte[] npy(int major, String header, byte[] data) {
        int field = major == 1 ? 2 : 4;
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1);
        int unpadded = 8 + field + text.length + 1;
        int pad = (64 - unpadded % 64) % 64;
        int headerLength = text.length + pad + 1;
        ByteBuffer b = ByteBuffer.allocate(8 + field + headerLength + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) major).put((byte) 0);
        if (field == 2) {
            b.putShort((short) headerLength);
        } else {
            b.putInt(headerLength);
        }
        b.put(text);
        for (int i = 0; i < pad; i++) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n').put(data);
        return b.array();
    }

    static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    Path file(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Reads through the path and the stream form; both must refuse with {@code rule}. */
    void refused(byte[] bytes, String rule) throws IOException {
        Path p = file("bad.npy", bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith("file " + p + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(rule), () -> e.getMessage() + " lacks: " + rule);
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes), "stdin"));
        assertTrue(s.getMessage().startsWith("file stdin: "), s.getMessage());
        assertTrue(s.getMessage().contains(rule), () -> s.getMessage() + " lacks: " + rule);
    }

    @Test
    void refusesFilesThatAreNotNpy() throws IOException {
        refused("a,b,c\n1,2,3\n".getBytes(StandardCharsets.US_ASCII),
                "not a NumPy .npy file (it starts with 61 2c 62 2c 63 0a 31 2c,");
        refused(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0},
                "not a NumPy .npy file");
        refused(new byte[0], "not a NumPy .npy file (it is empty)");
        refused(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'X', 1, 0}, "not a NumPy .npy file");
    }

    @Test
    void everyTruncationOfAValidFileIsReportedAsTruncated() throws IOException {
        byte[] whole = npy(1, dict("<f4", "(2, 3)"), new byte[24]);
        assertEquals(128 + 24, whole.length);
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            String rule;
            if (cut < 8) {
                rule = "truncated, expected 8 bytes of magic string and version, found " + cut;
            } else if (cut < 10) {
                rule = "truncated, expected 2 bytes of header length, found " + (cut - 8);
            } else if (cut < 128) {
                rule = "truncated, expected 118 header bytes, found " + (cut - 10);
            } else {
                rule = "truncated, expected 24 data bytes, found " + (cut - 128);
            }
            refused(part, rule);
        }
    }

    @Test
    void truncatedDataIsReportedWithBothByteCounts() throws IOException {
        byte[] bytes = npy(1, dict("<f8", "(4, 4)"), new byte[100]);
        Path p = file("short.npy", bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(p));
        assertEquals("file " + p + ": truncated, expected 128 data bytes, found 100",
                e.getMessage());
    }

    @Test
    void aHugeShapeOnASmallFileIsTruncationNotAnAllocation() throws IOException {
        // 16 GB claimed, 16 bytes present: refused from the file length before allocating.
        refusedFile(npy(1, dict("<f8", "(2000000000,)"), new byte[16]),
                "truncated, expected 16000000000 data bytes, found 16");
        // A stream has no length: arrays grow as data arrives, so this costs kilobytes.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(new ByteArrayInputStream(
                        npy(1, dict("<f8", "(300000000,)"), new byte[16])), "pipe"));
        assertEquals("file pipe: truncated, expected 2400000000 data bytes, found 16",
                e.getMessage());
    }

    void refusedFile(byte[] bytes, String rule) throws IOException {
        Path p = file("bad.npy", bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith("file " + p + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(rule), () -> e.getMessage() + " lacks: " + rule);
    }

    @Test
    void streamsGrowTheirArraysAcrossManyChunks() throws IOException {
        // More elements than the initial stream allocation and than one 1 MiB chunk.
        int n = 300_000;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, NpyArray.ofFloats(v, 3, n / 3));
        NpyArray back = Npy.read(new ByteArrayInputStream(out.toByteArray()), "s");
        assertArrayEquals(v, back.toFloatArray());
        Path p = file("big.npy", out.toByteArray());
        assertArrayEquals(v, Npy.read(p).toFloatArray());
    }

    @Test
    void trailingBytesAreRefusedInAFileButLeftUnreadInAStream() throws IOException {
        byte[] one = npy(1, dict("|u1", "(3,)"), new byte[] {1, 2, 3});
        byte[] withTail = Arrays.copyOf(one, one.length + 5);
        refusedFile(withTail, "5 unexpected bytes after the data (the header describes 131"
                + " bytes in all, the file has 136)");
        ByteArrayInputStream in = new ByteArrayInputStream(withTail);
        assertEquals(NpyArray.ofBytes(new byte[] {1, 2, 3}, 3), Npy.read(in, "s"));
        assertEquals(5, in.available());
    }

    @Test
    void arraysSavedOneAfterAnotherInAStreamReadInTurn() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyArray a = NpyArray.ofDoubles(new double[] {1, 2}, 2);
        NpyArray b = NpyArray.ofBooleans(new boolean[] {true}, new int[0]);
        Npy.write(out, a);
        Npy.write(out, b);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertEquals(a, Npy.read(in, "s"));
        assertEquals(b, Npy.read(in, "s"));
        assertEquals(0, in.available());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "4, 0", "1, 1", "2, 5", "255, 0"})
    void refusesUnknownVersions(int major, int minor) throws IOException {
        byte[] bytes = npy(1, dict("<f4", "(1,)"), new byte[4]);
        bytes[6] = (byte) major;
        bytes[7] = (byte) minor;
        refused(bytes, "unsupported .npy format version " + major + "." + minor
                + " (supported: 1.0, 2.0, 3.0)");
    }

    @Test
    void refusesAbsurdHeaderLengths() throws IOException {
        byte[] bytes = npy(2, dict("<f4", "(1,)"), new byte[4]);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1);
        refusedFile(bytes, "truncated, expected 4294967295 header bytes, found 120");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes), "s"));
        assertEquals("file s: header length 4294967295 exceeds the 1048576 bytes allowed",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ",
        "{'descr': <f4, 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2.5, 3), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } extra",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,, 3), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (02, 3), }",
        "{'descr': '<f4\n', 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        "",
        "\0\0\0\0",
    })
    void refusesHeadersThatAreNotPythonLiterals(String header) throws IOException {
        refused(npy(1, header, new byte[24]), "bad header syntax");
    }

    @Test
    void refusesDeeplyNestedHeadersWithoutOverflowingTheStack() throws IOException {
        String deep = "{'descr': '<f4', 'fortran_order': False, 'shape': " + "(".repeat(5000)
                + ")".repeat(5000) + ", }";
        refused(npy(1, deep, new byte[0]), "nested more than 32 levels deep");
    }

    @Test
    void refusesHeadersWithTheWrongStructure() throws IOException {
        refused(npy(1, "[1, 2, 3]", new byte[0]), "header is not a Python dict: [1, 2, 3]");
        refused(npy(1, "{'descr': '<f4', 'shape': (1,), }", new byte[4]),
                "header keys ['descr', 'shape'] must be exactly 'descr', 'fortran_order' and"
                        + " 'shape'");
        refused(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}",
                new byte[4]), "header keys ['descr', 'fortran_order', 'shape', 'x'] must be");
        refused(npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", new byte[4]),
                "fortran_order 0 must be True or False");
        refused(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2)}", new byte[16]),
                "Fortran-order arrays (fortran_order: True) are not supported, only C order");
        refused(npy(1, dict("<f4", "[2, 3]"), new byte[24]),
                "shape [2, 3] must be a tuple of integers");
        // In Python "(6)" is the integer 6, not a tuple; NumPy refuses it too.
        refused(npy(1, dict("<f4", "(6)"), new byte[24]), "shape 6 must be a tuple of integers");
        refused(npy(1, dict("<f4", "('a',)"), new byte[4]),
                "shape ('a',) must be a tuple of integers");
        refused(npy(1, dict("<f4", "(None, 2)"), new byte[4]),
                "shape (None, 2) must be a tuple of integers");
        refused(npy(1, "{'descr': 4, 'fortran_order': False, 'shape': (1,)}", new byte[4]),
                "unsupported dtype 4 (supported: '<f4', '>f4', '<f8', '>f8', '|u1', '|b1')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<i8", "<i4", "<u2", "|i1", "<f2", "<c8", "|f4", "f16", "<M8[ns]",
        "|S3", "|V4", "", "f"})
    void refusesUnsupportedTypes(String descr) throws IOException {
        refused(npy(1, dict(descr, "(1,)"), new byte[16]),
                "unsupported dtype '" + descr + "' (supported: ");
    }

    @Test
    void refusesNegativeAndOversizedDimensions() throws IOException {
        refused(npy(1, dict("<f4", "(-1, 3)"), new byte[12]),
                "shape (-1, 3) has negative dimension -1; dimensions must be >= 0");
        refused(npy(1, dict("<f4", "(3, - 2)"), new byte[12]), "has negative dimension -2");
        refused(npy(1, dict("<f4", "(2147483648,)"), new byte[4]),
                "shape (2147483648,) has dimension 2147483648, more than 2147483639 elements");
        refused(npy(1, dict("<f4", "(99999999999999999999999999,)"), new byte[4]),
                "has dimension 99999999999999999999999999");
        refused(npy(1, dict("|u1", "(65536, 65536)"), new byte[4]),
                "shape (65536, 65536) has more than 2147483639 elements, the most a Java array"
                        + " holds");
        // A product overflowing 64 bits must not wrap round to something small.
        refused(npy(1, dict("|u1", "(2147483647, 2147483647, 2147483647, 4)"), new byte[4]),
                "has more than 2147483639 elements");
    }

    @Test
    void aZeroDimensionMakesAnyOtherDimensionsEmpty() throws IOException {
        Path p = file("empty.npy", npy(1, dict("<f8", "(2147483647, 2147483647, 0)"),
                new byte[0]));
        NpyArray a = Npy.read(p);
        assertEquals(0, a.size());
        assertArrayEquals(new int[] {2147483647, 2147483647, 0}, a.shape());
    }

    @Test
    void refusesInvalidUtf8InAVersion3Header() throws IOException {
        byte[] bytes = npy(3, dict("<f4", "(1,)"), new byte[4]);
        bytes[14] = (byte) 0xff;
        refused(bytes, "version 3.0 header is not valid UTF-8");
    }

    @Test
    void acceptsVersion2And3HeadersAndOddButValidSpellings() throws IOException {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(-2.5).array();
        NpyArray expected = NpyArray.ofDoubles(new double[] {-2.5}, 1);
        assertEquals(expected, Npy.read(file("a.npy", npy(2, dict(">f8", "(1,)"), data))));
        assertEquals(expected, Npy.read(file("b.npy", npy(3,
                "{\"descr\":\">f8\",\"shape\":(1,),\"fortran_order\":False}", data))));
        assertEquals(expected, Npy.read(file("c.npy", npy(1,
                "{'descr':'>f8','fortran_order':False,'shape':(+1L,)}\t\r\n", data))));
        // Native order reads in this machine's order.
        byte[] nativeData = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putDouble(-2.5)
                .array();
        assertEquals(expected, Npy.read(file("d.npy", npy(1, dict("=f8", "(1,)"), nativeData))));
        assertEquals(NpyArray.ofBytes(new byte[] {7}, 1),
                Npy.read(file("e.npy", npy(1, dict("u1", "(1,)"), new byte[] {7}))));
    }

    @Test
    void aMissingFileIsTheJdksNoSuchFileException() {
        Path missing = tmp.resolve("missing.npy");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Npy.read(missing));
        assertEquals(missing.toString(), e.getFile());
        assertThrows(NoSuchFileException.class, () -> Npy.readVolume(missing));
    }

    @Test
    void readVolumeNamesTheFileWhenTheShapeIsNotAVolume() throws IOException {
        Path p = file("vector.npy", npy(1, dict("<f4", "(3,)"), new byte[12]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.readVolume(p));
        assertEquals("file " + p + ": shape (3,) cannot be read as a volume: expected [H, W],"
                + " [T, H, W] or [1, ..., 1, T, H, W]", e.getMessage());
        Path q = file("batch.npy", npy(1, dict("<f4", "(1, 1, 2, 1, 1)"), new byte[8]));
        assertArrayEquals(new int[] {2, 1, 1}, Npy.readVolume(q).shape());
    }
}

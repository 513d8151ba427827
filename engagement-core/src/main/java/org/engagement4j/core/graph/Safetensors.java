package org.engagement4j.core.graph;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.core.internal.AtomicFiles;

/**
 * Reads and writes the {@code safetensors} format, in which PyTorch users share a
 * {@code state_dict}: an 8-byte little-endian header length N, N bytes of JSON (per tensor: dtype,
 * shape, byte offsets into the data; optionally {@code "__metadata__"}), then the raw little-endian
 * tensor data.
 *
 * <p>Float32 ({@code F32}) tensors are read as {@link FloatTensor}s. Entries of the other dtypes of
 * the format (F64, F16, BF16, I64, I32, I16, I8, U8, BOOL, ...) are checked for consistency and
 * listed in {@link StateDict#otherTypes()}, but their values are not read; asking the returned
 * {@link StateDict} for one raises an error naming its dtype.
 *
 * <p>A malformed file (short file, header length out of range, header that is not a JSON object
 * or repeats a name, unknown dtype, negative or non-integer shape, offsets outside the data or not
 * matching the shape) raises an {@link IllegalArgumentException} naming the file and the tensor. Files above
 * 2 GiB are not supported.
 *
 * @since 0.1.0
 */
public final class Safetensors {

    /** Largest accepted JSON header, as in the reference implementation: 100 MB. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String METADATA = "__metadata__";

    private Safetensors() {
    }

    /**
     * Reads a safetensors file.
     *
     * @param file the file
     * @return its float32 tensors in header order, with the other entries listed by dtype; the
     *     source is the file name
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is malformed (see the class comment)
     */
    public static StateDict read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String src = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(src, "only %d bytes long, shorter than the 8-byte header length", size);
            }
            if (size > Integer.MAX_VALUE) {
                throw bad(src, "%d bytes long; files above 2 GiB are not supported", size);
            }
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = all.getLong(0);
            if (headerLength < 2 || headerLength > size - 8 || headerLength > MAX_HEADER_BYTES) {
                throw bad(src, "bad header length %s, must be between 2 and min(%d, file size - 8 = %d)",
                        Long.toUnsignedString(headerLength), MAX_HEADER_BYTES, size - 8);
            }
            byte[] header = new byte[(int) headerLength];
            all.get(8, header);
            int dataStart = 8 + (int) headerLength;
            int dataSize = (int) size - dataStart;
            JsonNode root;
            try {
                root = JSON.readTree(new String(header, StandardCharsets.UTF_8).trim());
            } catch (JsonProcessingException e) {
                throw bad(src, "header is not JSON: %s", e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) {
                throw bad(src, "header is not a JSON object");
            }
            Map<String, FloatTensor> floats = new LinkedHashMap<>();
            Map<String, String> others = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = root.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(METADATA)) {
                    continue;
                }
                Entry entry = entry(src, e.getKey(), e.getValue(), dataSize);
                if (entry.dtype.equals("F32")) {
                    float[] values = new float[entry.count];
                    all.slice(dataStart + entry.begin, entry.count * 4).order(ByteOrder.LITTLE_ENDIAN)
                            .asFloatBuffer().get(values);
                    floats.put(e.getKey(), FloatTensor.wrap(values, entry.shape));
                } else {
                    others.put(e.getKey(), entry.dtype);
                }
            }
            return StateDict.of(src, floats, others);
        }
    }

    /**
     * Writes float32 tensors as a safetensors file (atomically: a temporary file, then a rename),
     * in the order of the state dict, with {@code "__metadata__": {"format": "pt"}}.
     *
     * @param file target file; replaced if it exists
     * @param tensors the tensors; entries of other dtypes ({@link StateDict#otherTypes()}) are not
     *     written, since their values were never read
     * @throws IOException if writing fails
     */
    public static void write(Path file, StateDict tensors) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        ObjectNode root = JSON.createObjectNode();
        root.putObject(METADATA).put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, FloatTensor> e : tensors.tensors().entrySet()) {
            ObjectNode t = root.putObject(e.getKey());
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + 4L * e.getValue().size();
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8;
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, out -> {
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(head.array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (FloatTensor t : tensors.tensors().values()) {
                for (float v : t.view()) {
                    if (buf.remaining() < 4) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    private record Entry(String dtype, long[] shape, int count, int begin) {
    }

    private static Entry entry(String src, String name, JsonNode node, int dataSize) {
        if (!node.isObject()) {
            throw bad(src, "tensor '%s': header entry is not a JSON object", name);
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw bad(src, "tensor '%s': missing or non-string dtype", name);
        }
        String dtype = dtypeNode.asText();
        int width = dtypeBytes(dtype);
        if (width == 0) {
            throw bad(src, "tensor '%s': unknown dtype '%s'", name, dtype);
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw bad(src, "tensor '%s': missing shape array", name);
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.asLong() < 0) {
                throw bad(src, "tensor '%s': shape %s is not a list of non-negative integers", name, shapeNode);
            }
            shape[i] = d.asLong();
        }
        int count;
        try {
            count = Tensors.elementCount("tensor '" + name + "' in " + src, shape);
        } catch (IllegalArgumentException e) {
            throw bad(src, "tensor '%s': shape %s is too large", name, shapeNode);
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToExactIntegral()
                || !off.get(1).canConvertToExactIntegral()) {
            throw bad(src, "tensor '%s': data_offsets must be [begin, end]", name);
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw bad(src, "tensor '%s': data_offsets [%d, %d] outside the %d data bytes", name, begin, end,
                    dataSize);
        }
        if (end - begin != (long) count * width) {
            throw bad(src, "tensor '%s': data_offsets [%d, %d] span %d bytes, but dtype %s and shape %s need %d",
                    name, begin, end, end - begin, dtype, shapeNode, (long) count * width);
        }
        return new Entry(dtype, shape, count, (int) begin);
    }

    private static int dtypeBytes(String dtype) {
        switch (dtype) {
            case "F64", "I64", "U64":
                return 8;
            case "F32", "I32", "U32":
                return 4;
            case "F16", "BF16", "I16", "U16":
                return 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2":
                return 1;
            default:
                return 0;
        }
    }

    private static IllegalArgumentException bad(String src, String format, Object... args) {
        return new IllegalArgumentException("safetensors file " + src + ": " + String.format(Locale.ROOT, format, args));
    }
}

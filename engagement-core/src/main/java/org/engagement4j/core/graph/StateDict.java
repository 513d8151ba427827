package org.engagement4j.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Named float32 tensors in a fixed order, like a PyTorch {@code state_dict}, together with where
 * they came from (a file, a seed) for error messages and provenance. Immutable.
 *
 * <p>Entries of other element types (such as the {@code int64} {@code num_batches_tracked} buffers
 * a torchvision {@code state_dict} holds) can be listed by name and type, but not read as floats:
 * asking for one is reported as a wrong dtype, not as a missing tensor.
 *
 * @since 0.1.0
 */
public final class StateDict {

    private static final int LISTED_NAMES = 40;

    private final String source;
    private final Map<String, FloatTensor> tensors;
    private final Map<String, String> otherTypes;

    private StateDict(String source, Map<String, FloatTensor> tensors, Map<String, String> otherTypes) {
        this.source = source;
        this.tensors = tensors;
        this.otherTypes = otherTypes;
    }

    /**
     * @param source where the tensors come from (a file name, "random(seed=1)", ...)
     * @param tensors float tensors in order; the map is copied, the tensors are immutable
     * @return the state dict
     */
    public static StateDict of(String source, Map<String, FloatTensor> tensors) {
        return of(source, tensors, Map.of());
    }

    /**
     * @param source where the tensors come from
     * @param tensors float tensors in order
     * @param otherTypes names and element types (safetensors dtype strings such as "I64") of
     *     entries that are not float32
     * @return the state dict
     * @throws IllegalArgumentException if a name is in both maps
     */
    public static StateDict of(String source, Map<String, FloatTensor> tensors, Map<String, String> otherTypes) {
        Objects.requireNonNull(source, "source");
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        tensors.forEach((k, v) -> t.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, k)));
        Map<String, String> o = new LinkedHashMap<>(otherTypes);
        for (String k : o.keySet()) {
            if (t.containsKey(k)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: tensor '%s' listed both as float32 and as %s", source, k, o.get(k)));
            }
        }
        return new StateDict(source, Collections.unmodifiableMap(t), Collections.unmodifiableMap(o));
    }

    /**
     * @return where the tensors come from
     */
    public String source() {
        return source;
    }

    /**
     * @return the float tensor names, in order
     */
    public Set<String> names() {
        return tensors.keySet();
    }

    /**
     * @return names and dtypes of the entries that are not float32, in order
     */
    public Map<String, String> otherTypes() {
        return otherTypes;
    }

    /**
     * @return the float tensors, in order (unmodifiable)
     */
    public Map<String, FloatTensor> tensors() {
        return tensors;
    }

    /**
     * @param name a tensor name
     * @return whether a float tensor of that name exists
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * @param name a tensor name
     * @return the tensor
     * @throws IllegalArgumentException if it is missing (the message lists what exists) or is not float32
     */
    public FloatTensor tensor(String name) {
        FloatTensor t = tensors.get(name);
        if (t != null) {
            return t;
        }
        String dtype = otherTypes.get(name);
        if (dtype != null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor '%s' in %s has dtype %s, expected F32", name, source, dtype));
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "tensor '%s' is missing from %s; it has %d tensors: %s", name, source, tensors.size(),
                listed(tensors.keySet())));
    }

    /**
     * A tensor that must have a given shape.
     *
     * @param name a tensor name
     * @param expectedShape the shape it must have
     * @return the tensor
     * @throws IllegalArgumentException if it is missing, not float32, or of another shape
     */
    public FloatTensor tensor(String name, long... expectedShape) {
        FloatTensor t = tensor(name);
        if (!t.hasShape(expectedShape)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor '%s' in %s has shape %s, expected %s", name, source, Arrays.toString(t.shape()),
                    Arrays.toString(expectedShape)));
        }
        return t;
    }

    /**
     * @return the number of float tensors
     */
    public int size() {
        return tensors.size();
    }

    /**
     * @return the total number of float values
     */
    public long parameterCount() {
        long n = 0;
        for (FloatTensor t : tensors.values()) {
            n += t.size();
        }
        return n;
    }

    static String listed(Iterable<String> names) {
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String s : names) {
            if (n++ < LISTED_NAMES) {
                out.add(s);
            }
        }
        String text = out.toString();
        return n > LISTED_NAMES ? text + String.format(Locale.ROOT, " and %d more", n - LISTED_NAMES) : text;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "StateDict[%s, %d tensors]", source, tensors.size());
    }
}

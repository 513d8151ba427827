package org.engagement4j.core.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * What the provenance records of head training and fine-tuning share, so that both files start
 * alike and are checked alike: the run's identity and fold plan, the fold-index rule and the
 * indented output.
 */
final class ProvenanceJson {

    private ProvenanceJson() {
    }

    /** Replaces every non-finite floating-point value in the tree by JSON null, in place. */
    static void finiteOrNull(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            List<String> bad = new ArrayList<>();
            obj.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                if (v.isFloatingPointNumber() && !Double.isFinite(v.asDouble())) {
                    bad.add(e.getKey());
                } else {
                    finiteOrNull(v);
                }
            });
            bad.forEach(obj::putNull);
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                JsonNode v = arr.get(i);
                if (v.isFloatingPointNumber() && !Double.isFinite(v.asDouble())) {
                    arr.set(i, NullNode.getInstance());
                } else {
                    finiteOrNull(v);
                }
            }
        }
    }

    /** Throws unless fold {@code k} is one of {@code n} folds. */
    static void checkFold(int k, int n, String what) {
        if (k < 0 || k >= n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %d is not one of the %d folds", what, k, n));
        }
    }

    /** Throws unless every training fold, and the validation and test folds unless -1, exist. */
    static void checkFolds(int n, List<Integer> training, int validation, int test) {
        for (int k : training) {
            checkFold(k, n, "training fold");
        }
        if (validation != -1) {
            checkFold(validation, n, "validation fold");
        }
        if (test != -1) {
            checkFold(test, n, "test fold");
        }
    }

    /** A new tree with {@code format}, the task, variable, seed and folds. */
    static ObjectNode start(String format, Task task, Variable variable, long seed,
            List<List<String>> folds, List<Integer> training, int validation, int test) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("format", format);
        o.put("task", task.paperName());
        o.put("variable", variable.paperName());
        o.put("seed", seed);
        ArrayNode f = o.putArray("folds");
        for (List<String> fold : folds) {
            ArrayNode a = f.addArray();
            fold.forEach(a::add);
        }
        ArrayNode tf = o.putArray("training_folds");
        training.forEach(tf::add);
        o.put("validation_fold", validation);
        o.put("test_fold", test);
        return o;
    }

    /**
     * The tree, indented. A non-finite number (a NaN loss of a run that diverged) is written as
     * {@code null}: JSON has no NaN, and a bare {@code NaN} token would make the file unreadable
     * to standard parsers.
     */
    static String pretty(ObjectNode o) {
        finiteOrNull(o);
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree of numbers and strings always"
                    + " serialises", e);
        }
    }
}

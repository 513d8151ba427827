package org.engagement4j.core.folds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/** JSON form of a {@link FoldPlan}; names are the paper's (dolls, task_engagement, ...). */
final class FoldPlanJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FoldPlanJson() {
    }

    static String write(FoldPlan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("seed", plan.seed());
        root.put("tries", plan.tries());
        root.put("accepted_tries", plan.acceptedTries());
        root.put("score", plan.score());
        ArrayNode group = root.putArray("group");
        plan.group().forEach(group::add);
        root.put("blocks_in_test", plan.blocksInTest());
        root.put("test_fold", plan.testFoldIndex());
        root.set("overall_positive_rate", rates(plan.overallRate()));
        ArrayNode folds = root.putArray("folds");
        for (int k = 0; k < plan.foldCount(); k++) {
            ObjectNode f = folds.addObject();
            f.put("index", k);
            f.put("test", k == plan.testFoldIndex());
            ArrayNode s = f.putArray("sessions");
            plan.folds().get(k).forEach(s::add);
            f.set("positive_rate", rates(plan.foldRates().get(k)));
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            // A tree of strings and numbers always serialises.
            throw new IllegalStateException("cannot serialise a fold plan", e);
        }
    }

    private static ObjectNode rates(Map<Task, Map<Variable, Double>> rates) {
        ObjectNode o = MAPPER.createObjectNode();
        for (Map.Entry<Task, Map<Variable, Double>> e : rates.entrySet()) {
            ObjectNode inner = o.putObject(e.getKey().paperName());
            for (Map.Entry<Variable, Double> v : e.getValue().entrySet()) {
                inner.put(v.getKey().paperName(), v.getValue());
            }
        }
        return o;
    }

    static FoldPlan read(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: not valid JSON: %s", source, e.getOriginalMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a fold plan must be a JSON object");
        }
        long seed = field(root, "seed", source, JsonNode::isIntegralNumber).asLong();
        int tries = field(root, "tries", source, JsonNode::isInt).asInt();
        int accepted = field(root, "accepted_tries", source, JsonNode::isInt).asInt();
        double score = field(root, "score", source, JsonNode::isNumber).asDouble();
        boolean blocks = field(root, "blocks_in_test", source, JsonNode::isBoolean).asBoolean();
        List<String> group = strings(field(root, "group", source, JsonNode::isArray), source,
                "group");
        Map<Task, Map<Variable, Double>> overall = readRates(
                field(root, "overall_positive_rate", source, JsonNode::isObject), source,
                "overall_positive_rate");
        JsonNode foldsNode = field(root, "folds", source, JsonNode::isArray);
        List<List<String>> folds = new ArrayList<>();
        List<Map<Task, Map<Variable, Double>>> foldRates = new ArrayList<>();
        for (int k = 0; k < foldsNode.size(); k++) {
            JsonNode f = foldsNode.get(k);
            String where = "folds[" + k + "]";
            if (!f.isObject()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %s must be an object", source, where));
            }
            folds.add(strings(field(f, "sessions", source + " " + where, JsonNode::isArray),
                    source, where + ".sessions"));
            foldRates.add(readRates(field(f, "positive_rate", source + " " + where,
                    JsonNode::isObject), source, where + ".positive_rate"));
        }
        try {
            return new FoldPlan(folds, score, seed, tries, accepted, group, blocks, overall,
                    foldRates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode field(JsonNode node, String name, String source,
            java.util.function.Predicate<JsonNode> ok) {
        JsonNode v = node.get(name);
        if (v == null || !ok.test(v)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: field '%s' is missing or of the wrong type", source, name));
        }
        return v;
    }

    private static List<String> strings(JsonNode arr, String source, String where) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : arr) {
            if (!s.isTextual()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %s must hold strings only, found %s", source, where, s));
            }
            out.add(s.asText());
        }
        return out;
    }

    private static Map<Task, Map<Variable, Double>> readRates(JsonNode o, String source,
            String where) {
        EnumMap<Task, Map<Variable, Double>> out = new EnumMap<>(Task.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Task task = parse(Task.class, e.getKey(), source, where);
            EnumMap<Variable, Double> inner = new EnumMap<>(Variable.class);
            for (Iterator<Map.Entry<String, JsonNode>> vt = e.getValue().fields(); vt.hasNext();) {
                Map.Entry<String, JsonNode> v = vt.next();
                if (!v.getValue().isNumber()) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: %s.%s.%s must be a number", source, where, e.getKey(),
                            v.getKey()));
                }
                inner.put(parse(Variable.class, v.getKey(), source, where),
                        v.getValue().asDouble());
            }
            out.put(task, inner);
        }
        return out;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String source,
            String where) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s: unknown %s '%s' in %s; expected one of %s", source,
                type.getSimpleName().toLowerCase(Locale.ROOT), name, where, names));
    }
}

package org.engagement4j.core.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.metrics.agreement.KappaResult;
import org.engagement4j.metrics.agreement.PairMean;
import org.engagement4j.metrics.agreement.RaterPair;

/**
 * JSON of the statistics of this package (pretty-printed, UTF-8 text, snake_case keys). Durations
 * are in milliseconds; an undefined value (a mean of nothing, the standard deviation of one
 * duration, an undefined agreement or kappa) is {@code null}, never NaN.
 *
 * <p>Shape of the durations: {@code {"columns": {"dolls"|"shaker"|"drum"|"total": {"individual":
 * {"count", "mean_ms", "sd_ms", "total_ms"}, "engaged_intervals": {"task_engagement": {...},
 * "social_engagement": {...}}, "sessions", "mean_iou", "intersection_total_ms"}}, "overlaps":
 * [{"session", "task", "coders", "coders_with_task", "minimal_ms", "maximal_ms", "iou"}]}}.
 *
 * <p>Shape of the agreement: {@code {"step_ms", "masked_excluded", "coders", "matrices": [{"task",
 * "variable", "samples", "coders", "raw_agreement": [[...]], "cohen_kappa": [[...]],
 * "mean_raw_agreement", "mean_cohen_kappa", "pairs": [{"coder_1", "coder_2", "samples",
 * "raw_agreement", "cohen_kappa", "kappa_std", "kappa_low", "kappa_upp"}]}]}}; {@code pairs}
 * lists only coders who share a sample.
 *
 * @since 0.1.0
 */
public final class StatsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatsJson() {
    }

    /**
     * @param table Table 1
     * @return its JSON
     */
    public static String toJson(DurationTable table) {
        return write(durations(Objects.requireNonNull(table, "table")));
    }

    /**
     * @param table the agreement matrices
     * @return their JSON
     */
    public static String toJson(AgreementTable table) {
        return write(agreement(Objects.requireNonNull(table, "table")));
    }

    /**
     * @param durations Table 1
     * @param agreement the agreement matrices
     * @return {@code {"durations": ..., "agreement": ...}}
     */
    public static String toJson(DurationTable durations, AgreementTable agreement) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("durations", durations(Objects.requireNonNull(durations, "durations")));
        root.set("agreement", agreement(Objects.requireNonNull(agreement, "agreement")));
        return write(root);
    }

    static ObjectNode durations(DurationTable table) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode columns = root.putObject("columns");
        for (Map.Entry<Task, TaskDurations> e : table.tasks().entrySet()) {
            columns.set(e.getKey().paperName(), column(e.getValue()));
        }
        columns.set("total", column(table.total()));
        ArrayNode overlaps = root.putArray("overlaps");
        for (SessionTaskOverlap o : table.overlaps()) {
            ObjectNode n = overlaps.addObject();
            n.put("session", o.session());
            n.put("task", o.task().paperName());
            n.put("coders", o.coders());
            n.put("coders_with_task", o.codersWithTask());
            n.put("minimal_ms", o.minimalMs());
            n.put("maximal_ms", o.maximalMs());
            n.put("iou", o.iou());
        }
        return root;
    }

    private static ObjectNode column(TaskDurations c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.set("individual", summary(c.individual()));
        ObjectNode eng = n.putObject("engaged_intervals");
        for (Variable v : Variable.values()) {
            eng.set(v.paperName(), summary(c.engagedIntervals().get(v)));
        }
        n.put("sessions", c.sessions());
        put(n, "mean_iou", c.meanIou());
        n.put("intersection_total_ms", c.intersectionMs());
        return n;
    }

    private static ObjectNode summary(DurationSummary s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("count", s.count());
        put(n, "mean_ms", s.meanMs());
        put(n, "sd_ms", s.sdMs());
        n.put("total_ms", s.totalMs());
        return n;
    }

    static ObjectNode agreement(AgreementTable table) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("step_ms", table.stepMs());
        root.put("masked_excluded", table.maskedExcluded());
        ArrayNode coders = root.putArray("coders");
        table.coders().forEach(coders::add);
        ArrayNode matrices = root.putArray("matrices");
        for (AgreementMatrix m : table.matrices()) {
            ObjectNode n = matrices.addObject();
            n.put("task", m.scope().taskLabel());
            n.put("variable", m.scope().variableLabel());
            n.put("samples", m.samples());
            ArrayNode names = n.putArray("coders");
            m.coders().forEach(names::add);
            n.set("raw_agreement", matrix(m.agreement()));
            n.set("cohen_kappa", matrix(m.kappa()));
            put(n, "mean_raw_agreement", mean(m.meanAgreement()));
            put(n, "mean_cohen_kappa", mean(m.meanKappa()));
            ArrayNode pairs = n.putArray("pairs");
            for (RaterPair p : m.pairs()) {
                ObjectNode pn = pairs.addObject();
                pn.put("coder_1", p.first());
                pn.put("coder_2", p.second());
                pn.put("samples", p.rows());
                put(pn, "raw_agreement", p.agreement());
                if (p.kappa().isPresent()) {
                    KappaResult k = p.kappa().get();
                    pn.put("cohen_kappa", k.kappa());
                    pn.put("kappa_std", k.stdKappa());
                    pn.put("kappa_low", k.kappaLow());
                    pn.put("kappa_upp", k.kappaUpp());
                } else {
                    pn.putNull("cohen_kappa");
                    pn.putNull("kappa_std");
                    pn.putNull("kappa_low");
                    pn.putNull("kappa_upp");
                }
            }
        }
        return root;
    }

    private static OptionalDouble mean(PairMean m) {
        return m.mean();
    }

    private static ArrayNode matrix(double[][] values) {
        ArrayNode rows = MAPPER.createArrayNode();
        for (double[] row : values) {
            ArrayNode r = rows.addArray();
            for (double v : row) {
                if (Double.isNaN(v)) {
                    r.addNull();
                } else {
                    r.add(v);
                }
            }
        }
        return rows;
    }

    private static void put(ObjectNode n, String key, OptionalDouble v) {
        if (v.isPresent()) {
            n.put(key, v.getAsDouble());
        } else {
            n.putNull(key);
        }
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serialises; reaching this is a bug, not bad input.
            throw new IllegalStateException("could not serialise statistics to JSON", e);
        }
    }
}

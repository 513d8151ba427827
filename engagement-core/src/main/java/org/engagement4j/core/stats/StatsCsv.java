package org.engagement4j.core.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.metrics.agreement.KappaResult;
import org.engagement4j.metrics.agreement.RaterPair;

/**
 * CSV (RFC 4180: comma-separated, a header row, {@code \n} line ends, fields quoted only when
 * they hold a comma, quote or line break) of the statistics of this package. Numbers are written
 * with {@link Double#toString(double)} / {@link Long#toString(long)}, independent of the locale;
 * durations are in milliseconds; an undefined value (a mean of nothing, the standard deviation
 * of one duration, the kappa of two constant coders) is an empty field.
 *
 * @since 0.1.0
 */
public final class StatsCsv {

    /** Header of {@link #writeDurations(DurationTable, Appendable)}. */
    public static final String DURATIONS_HEADER = "column,individual_count,individual_mean_ms,"
            + "individual_sd_ms,task_engagement_intervals,task_engagement_mean_ms,"
            + "task_engagement_sd_ms,social_engagement_intervals,social_engagement_mean_ms,"
            + "social_engagement_sd_ms,sessions,mean_iou,intersection_total_ms";

    /** Header of {@link #writeOverlaps(DurationTable, Appendable)}. */
    public static final String OVERLAPS_HEADER =
            "session,task,coders,coders_with_task,minimal_ms,maximal_ms,iou";

    /** Header of {@link #writeAgreement(AgreementTable, Appendable)}. */
    public static final String AGREEMENT_HEADER = "task,variable,coder_1,coder_2,samples,"
            + "raw_agreement,cohen_kappa,kappa_std,kappa_low,kappa_upp";

    private StatsCsv() {
    }

    /**
     * Table 1, one row per column of the paper's table: {@code dolls}, {@code shaker},
     * {@code drum}, {@code total}.
     *
     * @param table the table
     * @param out where to append
     * @throws UncheckedIOException if {@code out} fails
     */
    public static void writeDurations(DurationTable table, Appendable out) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(out, "out");
        StringBuilder sb = new StringBuilder(DURATIONS_HEADER).append('\n');
        for (Map.Entry<Task, TaskDurations> e : table.tasks().entrySet()) {
            durationRow(sb, e.getKey().paperName(), e.getValue());
        }
        durationRow(sb, "total", table.total());
        append(out, sb);
    }

    /**
     * The (session, task) terms of the mean IoU.
     *
     * @param table the table
     * @param out where to append
     * @throws UncheckedIOException if {@code out} fails
     */
    public static void writeOverlaps(DurationTable table, Appendable out) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(out, "out");
        StringBuilder sb = new StringBuilder(OVERLAPS_HEADER).append('\n');
        for (SessionTaskOverlap o : table.overlaps()) {
            sb.append(field(o.session())).append(',').append(o.task().paperName()).append(',')
                    .append(o.coders()).append(',').append(o.codersWithTask()).append(',')
                    .append(o.minimalMs()).append(',').append(o.maximalMs()).append(',')
                    .append(o.iou()).append('\n');
        }
        append(out, sb);
    }

    /**
     * One row per scope and pair of coders who share at least one sample ({@code task} is a
     * task's paper name or {@code all}; {@code variable} a variable's paper name or
     * {@code both}). The kappa interval is the 95 % asymptotic one.
     *
     * @param table the agreement table
     * @param out where to append
     * @throws UncheckedIOException if {@code out} fails
     */
    public static void writeAgreement(AgreementTable table, Appendable out) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(out, "out");
        StringBuilder sb = new StringBuilder(AGREEMENT_HEADER).append('\n');
        for (AgreementMatrix m : table.matrices()) {
            for (RaterPair p : m.pairs()) {
                sb.append(m.scope().taskLabel()).append(',').append(m.scope().variableLabel())
                        .append(',').append(field(p.first())).append(',')
                        .append(field(p.second())).append(',').append(p.rows()).append(',')
                        .append(number(p.agreement()));
                if (p.kappa().isPresent()) {
                    KappaResult k = p.kappa().get();
                    sb.append(',').append(k.kappa()).append(',').append(k.stdKappa()).append(',')
                            .append(k.kappaLow()).append(',').append(k.kappaUpp());
                } else {
                    sb.append(",,,,");
                }
                sb.append('\n');
            }
        }
        append(out, sb);
    }

    private static void durationRow(StringBuilder sb, String name, TaskDurations c) {
        sb.append(name).append(',');
        summary(sb, c.individual());
        for (Variable v : Variable.values()) {
            sb.append(',');
            summary(sb, c.engagedIntervals().get(v));
        }
        sb.append(',').append(c.sessions()).append(',').append(number(c.meanIou())).append(',')
                .append(c.intersectionMs()).append('\n');
    }

    private static void summary(StringBuilder sb, DurationSummary s) {
        sb.append(s.count()).append(',').append(number(s.meanMs())).append(',')
                .append(number(s.sdMs()));
    }

    private static String number(OptionalDouble d) {
        return d.isPresent() ? Double.toString(d.getAsDouble()) : "";
    }

    /** Quotes a text field when RFC 4180 requires it. */
    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0
                && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static void append(Appendable out, CharSequence text) {
        try {
            out.append(text);
        } catch (IOException e) {
            throw new UncheckedIOException(String.format(Locale.ROOT,
                    "could not write CSV: %s", e.getMessage()), e);
        }
    }
}

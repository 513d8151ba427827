package org.engagement4j.core.evaluation;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.training.HeadTrainingResult;
import org.engagement4j.core.training.SplitMetrics;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import org.engagement4j.metrics.agreement.RandomBaseline;

/**
 * One row of the paper's Table 2 (Fraile et al., ICMI 2022, Section 4.1): for one classifier
 * (task, variable), the empirical probability {@code q} of the positive class, validation and
 * test accuracy and F1, the best scores of a random classifier ({@link RandomBaseline}: accuracy
 * {@code max(q, 1 - q)}, F1 {@code 2q / (1 + q)}) and whether each score is above them (the
 * paper's bold entries).
 *
 * @param task the task
 * @param variable the variable
 * @param empiricalProbability {@code q}, over the whole data set in the paper
 *     ({@link EmpiricalProbability})
 * @param validation the validation confusion matrix, if evaluated
 * @param test the test confusion matrix, if evaluated
 * @since 0.1.0
 */
public record PerformanceRecord(Task task, Variable variable, double empiricalProbability,
        Optional<ConfusionMatrix> validation, Optional<ConfusionMatrix> test) {

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code q} is not in [0, 1]
     */
    public PerformanceRecord {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        RandomBaseline.of(empiricalProbability);
    }

    /**
     * The row of a head training run, as the reference reported it: the validation and test
     * matrices of the checkpointed epoch.
     *
     * @param task the task
     * @param variable the variable
     * @param q the empirical probability
     * @param result the training result
     * @return the row
     */
    public static PerformanceRecord of(Task task, Variable variable, double q,
            HeadTrainingResult result) {
        Objects.requireNonNull(result, "result");
        return new PerformanceRecord(task, variable, q,
                result.bestRecord().validation().map(SplitMetrics::confusion),
                result.bestRecord().test().map(SplitMetrics::confusion));
    }

    /** @return the random baseline for {@code q} */
    public RandomBaseline baseline() {
        return RandomBaseline.of(empiricalProbability);
    }

    /** @return validation accuracy, if evaluated */
    public OptionalDouble validationAccuracy() {
        return validation.map(c -> OptionalDouble.of(c.accuracy())).orElse(OptionalDouble.empty());
    }

    /** @return validation F1, empty if not evaluated or undefined (no positive at all) */
    public OptionalDouble validationF1() {
        return validation.map(ConfusionMatrix::f1).orElse(OptionalDouble.empty());
    }

    /** @return test accuracy, if evaluated */
    public OptionalDouble testAccuracy() {
        return test.map(c -> OptionalDouble.of(c.accuracy())).orElse(OptionalDouble.empty());
    }

    /** @return test F1, empty if not evaluated or undefined */
    public OptionalDouble testF1() {
        return test.map(ConfusionMatrix::f1).orElse(OptionalDouble.empty());
    }

    /** @return whether the validation accuracy is above the random baseline (false if absent) */
    public boolean validationAccuracyAboveBaseline() {
        return validation.map(c -> baseline().isAboveAccuracy(c)).orElse(false);
    }

    /** @return whether the validation F1 is above the random baseline (false if absent) */
    public boolean validationF1AboveBaseline() {
        return validation.map(c -> baseline().isAboveF1(c)).orElse(false);
    }

    /** @return whether the test accuracy is above the random baseline (false if absent) */
    public boolean testAccuracyAboveBaseline() {
        return test.map(c -> baseline().isAboveAccuracy(c)).orElse(false);
    }

    /** @return whether the test F1 is above the random baseline (false if absent) */
    public boolean testF1AboveBaseline() {
        return test.map(c -> baseline().isAboveF1(c)).orElse(false);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PerformanceRecord[%s / %s, q %.3f, val acc %s F1 %s,"
                + " test acc %s F1 %s]", task.paperName(), variable.paperName(),
                empiricalProbability, fmt(validationAccuracy()), fmt(validationF1()),
                fmt(testAccuracy()), fmt(testF1()));
    }

    static String fmt(OptionalDouble d) {
        return d.isPresent() ? String.format(Locale.ROOT, "%.3f", d.getAsDouble()) : "-";
    }
}

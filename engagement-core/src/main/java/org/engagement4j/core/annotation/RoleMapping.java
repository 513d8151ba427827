package org.engagement4j.core.annotation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.engagement4j.core.elan.Annotation;
import org.engagement4j.core.elan.ElanDocument;
import org.engagement4j.core.elan.Tier;
import org.engagement4j.core.elan.UnplacedAnnotation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tiers and values of an annotation document play which role (REFERENCE.md §1; Fraile et
 * al., ICMI 2022, §3.2): the step from one coder's ELAN file to {@link CoderAnnotations}.
 *
 * <p>The {@linkplain #reference() reference mapping} uses the reference coders' names:
 * <ul>
 *   <li>tier {@code task}: one span per task, valued {@code people}, {@code eggs} or
 *       {@code drums} for {@link Task#DOLLS}, {@link Task#SHAKER} and {@link Task#DRUM};</li>
 *   <li>tier {@code participating}: {@link Variable#TASK_ENGAGEMENT};</li>
 *   <li>tier {@code attending}: {@link Variable#SOCIAL_ENGAGEMENT};</li>
 *   <li>optional tier {@code ignore}: time masked out of sampling, whatever the value (the
 *       reference code dropped this tier; masking it is the better use).</li>
 * </ul>
 * Every name can be changed with the {@code withX} methods or a {@link Builder}.
 *
 * <p><b>Values.</b> Each value is first {@linkplain ValueNormalizer#normalize(String) normalised}
 * (strip, lower-case, synonyms). On an engagement tier a span is <em>engaged</em> unless its value
 * is one of the not-engaged values ({@code no} by default); time with no span is not engaged
 * either. A blank value is an error unless the blank string is listed among the not-engaged values.
 * Optionally a variable's engaged values can be restricted ({@link #withEngagedValues(Variable,
 * Collection)}); any other value is then an error, which catches typos the synonym map misses.
 *
 * <p><b>Interval rules.</b> Engaged spans are clipped to the coder's own span of each task; a span
 * that crosses a task boundary counts for each task it touches, and time outside every task span
 * is dropped. Touching engaged spans merge. Masked time is kept as given (not clipped).
 *
 * <p><b>Bad input</b> raises a {@link RoleMappingException} naming the file, the tier and the
 * annotation ids: a missing task or engagement tier (the list of tiers present is given), an
 * unknown task value, a task marked more than once, a task missing when
 * {@linkplain #requireAllTasks() all tasks are required}, a zero-length task span, overlapping
 * spans within any role tier, a blank or unexpected engagement value, an annotation of a role tier
 * whose time the reader could not place. (Time units other than milliseconds never get this far:
 * {@link ElanDocument} rejects them.)
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RoleMapping {

    private static final Logger LOG = LoggerFactory.getLogger(RoleMapping.class);

    private static final RoleMapping REFERENCE = builder().build();

    private final String taskTier;
    private final Map<String, Task> taskValues;
    private final Map<Variable, String> variableTiers;
    private final String maskTier;
    private final Set<String> notEngagedValues;
    private final Map<Variable, Set<String>> engagedValues;
    private final ValueNormalizer normalizer;
    private final boolean requireAllTasks;

    private RoleMapping(Builder b) {
        this.taskTier = b.taskTier;
        this.taskValues = Collections.unmodifiableMap(new LinkedHashMap<>(b.taskValues));
        this.variableTiers = Collections.unmodifiableMap(new EnumMap<>(b.variableTiers));
        this.maskTier = b.maskTier;
        this.notEngagedValues = Collections.unmodifiableSet(new TreeSet<>(b.notEngagedValues));
        EnumMap<Variable, Set<String>> ev = new EnumMap<>(Variable.class);
        b.engagedValues.forEach((k, v) -> ev.put(k, Collections.unmodifiableSet(new TreeSet<>(v))));
        this.engagedValues = Collections.unmodifiableMap(ev);
        this.normalizer = b.normalizer;
        this.requireAllTasks = b.requireAllTasks;
    }

    /**
     * The reference coders' tiers and values, with the {@linkplain ValueNormalizer#reference()
     * reference typo corrections}, not-engaged value {@code no}, any other engagement value
     * accepted as engaged, and all three tasks required.
     *
     * @return the reference mapping
     */
    public static RoleMapping reference() {
        return REFERENCE;
    }

    /** @return a builder holding the {@linkplain #reference() reference} settings */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this mapping's settings */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the tier holding the task spans */
    public String taskTier() {
        return taskTier;
    }

    /** @return normalised task-tier value to task, in insertion order (unmodifiable) */
    public Map<String, Task> taskValues() {
        return taskValues;
    }

    /**
     * @param variable an engagement variable
     * @return the tier holding its spans
     */
    public String variableTier(Variable variable) {
        return variableTiers.get(Objects.requireNonNull(variable, "variable"));
    }

    /** @return the tier whose spans are masked out of sampling, if any */
    public Optional<String> maskTier() {
        return Optional.ofNullable(maskTier);
    }

    /** @return the normalised values that mean "not engaged" (unmodifiable) */
    public Set<String> notEngagedValues() {
        return notEngagedValues;
    }

    /**
     * @param variable an engagement variable
     * @return the only values accepted as engaged, or an empty set when every value other than
     *     the not-engaged ones counts as engaged
     */
    public Set<String> engagedValues(Variable variable) {
        return engagedValues.getOrDefault(Objects.requireNonNull(variable, "variable"), Set.of());
    }

    /** @return the value normaliser */
    public ValueNormalizer normalizer() {
        return normalizer;
    }

    /** @return whether every task must have a span in every document */
    public boolean requireAllTasks() {
        return requireAllTasks;
    }

    /**
     * @param tier the tier holding the task spans
     * @return a new mapping with that task tier
     * @throws IllegalArgumentException as {@link Builder#build()}
     */
    public RoleMapping withTaskTier(String tier) {
        return toBuilder().taskTier(tier).build();
    }

    /**
     * @param values task-tier value (normalised when stored) to task; replaces all task values
     * @return a new mapping with these task values
     * @throws IllegalArgumentException as {@link Builder#build()}
     */
    public RoleMapping withTaskValues(Map<String, Task> values) {
        Builder b = toBuilder().clearTaskValues();
        Objects.requireNonNull(values, "values").forEach(b::taskValue);
        return b.build();
    }

    /**
     * @param value a further task-tier value (normalised when stored)
     * @param task the task it stands for
     * @return a new mapping that also reads {@code value} as {@code task}
     * @throws IllegalArgumentException as {@link Builder#taskValue(String, Task)}
     */
    public RoleMapping withTaskValue(String value, Task task) {
        return toBuilder().taskValue(value, task).build();
    }

    /**
     * @param variable an engagement variable
     * @param tier the tier holding its spans
     * @return a new mapping with that tier for {@code variable}
     * @throws IllegalArgumentException as {@link Builder#build()}
     */
    public RoleMapping withVariableTier(Variable variable, String tier) {
        return toBuilder().variableTier(variable, tier).build();
    }

    /**
     * @param tier the tier whose spans are masked out of sampling, or null for none
     * @return a new mapping with that mask tier
     * @throws IllegalArgumentException as {@link Builder#build()}
     */
    public RoleMapping withMaskTier(String tier) {
        return toBuilder().maskTier(tier).build();
    }

    /**
     * @param values the values meaning "not engaged" (normalised when stored); may be empty
     * @return a new mapping with these not-engaged values
     * @throws IllegalArgumentException as {@link Builder#build()}
     */
    public RoleMapping withNotEngagedValues(Collection<String> values) {
        return toBuilder().notEngagedValues(values).build();
    }

    /**
     * @param variable an engagement variable
     * @param values the only values accepted as engaged for it (normalised when stored), or an
     *     empty collection to accept any value that is not a not-engaged value
     * @return a new mapping with this restriction
     * @throws IllegalArgumentException as {@link Builder#build()}
     */
    public RoleMapping withEngagedValues(Variable variable, Collection<String> values) {
        return toBuilder().engagedValues(variable, values).build();
    }

    /**
     * @param valueNormalizer the normaliser applied to every value before it is interpreted
     * @return a new mapping with that normaliser
     */
    public RoleMapping withNormalizer(ValueNormalizer valueNormalizer) {
        return toBuilder().normalizer(valueNormalizer).build();
    }

    /**
     * @param required whether every task must have a span in every document
     * @return a new mapping with that requirement
     * @throws IllegalArgumentException as {@link Builder#build()}
     */
    public RoleMapping withRequireAllTasks(boolean required) {
        return toBuilder().requireAllTasks(required).build();
    }

    /**
     * Maps one coder's ELAN document to that coder's annotations.
     *
     * @param doc the document, as read by {@link org.engagement4j.core.elan.ElanReader}
     * @param coder the coder's name
     * @return task spans, engaged time per task and variable (clipped to the task span), masked
     *     time
     * @throws RoleMappingException naming file, tier and annotation ids, for the faults listed in
     *     the class description
     * @throws NullPointerException if an argument is null
     */
    public CoderAnnotations map(ElanDocument doc, String coder) {
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(coder, "coder");
        Map<String, List<RawSpan>> tiers = new LinkedHashMap<>();
        for (Tier t : doc.tiers()) {
            List<RawSpan> spans = new ArrayList<>(t.annotations().size());
            for (Annotation a : t.annotations()) {
                spans.add(new RawSpan(a.id(), a.startMs(), a.endMs(), a.value()));
            }
            tiers.put(t.id(), spans);
        }
        List<RawUnplaced> unplaced = new ArrayList<>();
        for (UnplacedAnnotation u : doc.unplaced()) {
            unplaced.add(new RawUnplaced(u.id(), u.tierId(), u.reason()));
        }
        return mapSpans(doc.source(), coder, tiers, unplaced);
    }

    /**
     * The format-independent core of {@link #map(ElanDocument, String)}.
     *
     * @param source the file name, for messages
     * @param coder the coder's name
     * @param tiers tier id to its spans, in any order
     * @param unplaced annotations the reader could not place in time
     */
    CoderAnnotations mapSpans(String source, String coder, Map<String, List<RawSpan>> tiers,
            List<RawUnplaced> unplaced) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(coder, "coder");
        Objects.requireNonNull(tiers, "tiers");
        Objects.requireNonNull(unplaced, "unplaced");
        rejectUnplaced(source, unplaced);

        List<RawSpan> taskSpans = requireTier(source, tiers, taskTier, "task spans");
        Map<Task, Interval> spans = taskSpans(source, taskSpans);

        Map<Task, Map<Variable, IntervalSet>> engaged = new EnumMap<>(Task.class);
        for (Task t : spans.keySet()) {
            engaged.put(t, new EnumMap<>(Variable.class));
        }
        for (Variable v : Variable.values()) {
            String tier = variableTiers.get(v);
            List<RawSpan> raw = requireTier(source, tiers, tier,
                    v.paperName().replace('_', ' '));
            IntervalSet set = engagedSet(source, v, tier, raw);
            long inside = 0;
            for (Map.Entry<Task, Interval> e : spans.entrySet()) {
                IntervalSet clipped = set.clip(e.getValue());
                inside += clipped.durationMs();
                engaged.get(e.getKey()).put(v, clipped);
            }
            if (inside < set.durationMs() && LOG.isDebugEnabled()) {
                LOG.debug("{}: tier '{}': {} ms of engaged time lie outside every task span and"
                        + " are dropped", source, tier, set.durationMs() - inside);
            }
        }

        IntervalSet masked = IntervalSet.empty();
        if (maskTier != null) {
            List<RawSpan> raw = tiers.get(maskTier);
            if (raw == null) {
                LOG.debug("{}: no mask tier '{}'; nothing is masked", source, maskTier);
            } else {
                List<Interval> list = new ArrayList<>(raw.size());
                for (RawSpan s : checkedSorted(source, maskTier, raw)) {
                    list.add(new Interval(s.startMs(), s.endMs()));
                }
                masked = IntervalSet.of(list);
            }
        }
        return new CoderAnnotations(coder, spans, engaged, masked);
    }

    private void rejectUnplaced(String source, List<RawUnplaced> unplaced) {
        Set<String> roleTiers = roleTiers();
        for (RawUnplaced u : unplaced) {
            if (roleTiers.contains(u.tierId())) {
                throw new RoleMappingException(source, u.tierId(), List.of(u.id()),
                        "the annotation's time could not be placed (" + u.reason()
                                + "); fix its time slots in ELAN");
            }
        }
    }

    private Set<String> roleTiers() {
        Set<String> s = new LinkedHashSet<>();
        s.add(taskTier);
        s.addAll(variableTiers.values());
        if (maskTier != null) {
            s.add(maskTier);
        }
        return s;
    }

    private static List<RawSpan> requireTier(String source, Map<String, List<RawSpan>> tiers,
            String tier, String role) {
        List<RawSpan> raw = tiers.get(tier);
        if (raw == null) {
            throw new RoleMappingException(source, tier, List.of(), String.format(Locale.ROOT,
                    "missing role tier (%s); tiers present: %s", role, tiers.keySet()));
        }
        return raw;
    }

    private Map<Task, Interval> taskSpans(String source, List<RawSpan> raw) {
        List<RawSpan> sorted = checkedSorted(source, taskTier, raw);
        Map<Task, List<RawSpan>> byTask = new EnumMap<>(Task.class);
        for (RawSpan s : sorted) {
            String value = normalizer.normalize(s.value());
            Task task = taskValues.get(value);
            if (task == null) {
                throw new RoleMappingException(source, taskTier, List.of(s.id()), String.format(
                        Locale.ROOT, "unknown task value '%s' (normalised '%s'); expected one of"
                                + " %s",
                        s.value(), value, taskValues.keySet()));
            }
            if (s.endMs() == s.startMs()) {
                throw new RoleMappingException(source, taskTier, List.of(s.id()), String.format(
                        Locale.ROOT, "task span of %s at %d ms has zero length",
                        task.paperName(), s.startMs()));
            }
            byTask.computeIfAbsent(task, k -> new ArrayList<>()).add(s);
        }
        Map<Task, Interval> spans = new EnumMap<>(Task.class);
        List<String> missing = new ArrayList<>();
        for (Task t : Task.values()) {
            List<RawSpan> list = byTask.get(t);
            if (list == null) {
                missing.add(t.paperName());
                continue;
            }
            if (list.size() > 1) {
                List<String> ids = new ArrayList<>();
                List<String> times = new ArrayList<>();
                for (RawSpan s : list) {
                    ids.add(s.id());
                    times.add(new Interval(s.startMs(), s.endMs()).toString());
                }
                throw new RoleMappingException(source, taskTier, ids, String.format(Locale.ROOT,
                        "task %s is marked %d times (%s); exactly one span per task is allowed",
                        t.paperName(), list.size(), String.join(", ", times)));
            }
            RawSpan s = list.get(0);
            spans.put(t, new Interval(s.startMs(), s.endMs()));
        }
        if (requireAllTasks && !missing.isEmpty()) {
            throw new RoleMappingException(source, taskTier, List.of(), String.format(Locale.ROOT,
                    "no span for task(s) %s; every task needs exactly one span (or allow missing"
                            + " tasks with withRequireAllTasks(false))", missing));
        }
        return spans;
    }

    private IntervalSet engagedSet(String source, Variable variable, String tier,
            List<RawSpan> raw) {
        Set<String> allowed = engagedValues.getOrDefault(variable, Set.of());
        List<Interval> list = new ArrayList<>(raw.size());
        for (RawSpan s : checkedSorted(source, tier, raw)) {
            String value = normalizer.normalize(s.value());
            if (notEngagedValues.contains(value)) {
                continue;
            }
            if (value.isEmpty()) {
                throw new RoleMappingException(source, tier, List.of(s.id()), String.format(
                        Locale.ROOT, "blank value at %s; give it a value, or list the blank"
                                + " string among the not-engaged values %s",
                        new Interval(s.startMs(), s.endMs()), notEngagedValues));
            }
            if (!allowed.isEmpty() && !allowed.contains(value)) {
                throw new RoleMappingException(source, tier, List.of(s.id()), String.format(
                        Locale.ROOT, "unexpected %s value '%s' (normalised '%s'); expected one of"
                                + " %s (engaged) or %s (not engaged)",
                        variable.paperName().replace('_', ' '), s.value(), value, allowed,
                        notEngagedValues));
            }
            list.add(new Interval(s.startMs(), s.endMs()));
        }
        return IntervalSet.of(list);
    }

    /** The spans in time order, after checking each is well formed and none overlaps another. */
    private static List<RawSpan> checkedSorted(String source, String tier, List<RawSpan> raw) {
        List<RawSpan> sorted = new ArrayList<>(raw);
        for (RawSpan s : sorted) {
            if (s.endMs() < s.startMs()) {
                throw new RoleMappingException(source, tier, List.of(s.id()), String.format(
                        Locale.ROOT, "ends at %d ms, before its start at %d ms", s.endMs(),
                        s.startMs()));
            }
        }
        sorted.sort(Comparator.comparingLong(RawSpan::startMs).thenComparingLong(RawSpan::endMs));
        RawSpan reach = null;
        for (RawSpan s : sorted) {
            if (reach != null && s.startMs() < reach.endMs() && s.endMs() > s.startMs()) {
                throw new RoleMappingException(source, tier, List.of(reach.id(), s.id()),
                        String.format(Locale.ROOT, "spans overlap (%s and %s); spans in one"
                                + " role tier must not overlap",
                                new Interval(reach.startMs(), reach.endMs()),
                                new Interval(s.startMs(), s.endMs())));
            }
            if (reach == null || s.endMs() > reach.endMs()) {
                reach = s;
            }
        }
        return sorted;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RoleMapping)) {
            return false;
        }
        RoleMapping m = (RoleMapping) o;
        return taskTier.equals(m.taskTier) && taskValues.equals(m.taskValues)
                && variableTiers.equals(m.variableTiers) && Objects.equals(maskTier, m.maskTier)
                && notEngagedValues.equals(m.notEngagedValues)
                && engagedValues.equals(m.engagedValues) && normalizer.equals(m.normalizer)
                && requireAllTasks == m.requireAllTasks;
    }

    @Override
    public int hashCode() {
        return Objects.hash(taskTier, taskValues, variableTiers, maskTier, notEngagedValues,
                engagedValues, normalizer, requireAllTasks);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "RoleMapping[task tier '%s' %s, task engagement '%s', social engagement '%s',"
                        + " mask %s, not engaged %s, all tasks required %b]",
                taskTier, taskValues, variableTiers.get(Variable.TASK_ENGAGEMENT),
                variableTiers.get(Variable.SOCIAL_ENGAGEMENT),
                maskTier == null ? "none" : "'" + maskTier + "'", notEngagedValues,
                requireAllTasks);
    }

    /**
     * Mutable builder of a {@link RoleMapping}; starts from the {@linkplain #reference()
     * reference} settings (or those of the mapping it came from) and validates in
     * {@link #build()}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private String taskTier;
        private final Map<String, Task> taskValues = new LinkedHashMap<>();
        private final Map<Variable, String> variableTiers = new EnumMap<>(Variable.class);
        private String maskTier;
        private final Set<String> notEngagedValues = new TreeSet<>();
        private final Map<Variable, Set<String>> engagedValues = new EnumMap<>(Variable.class);
        private ValueNormalizer normalizer;
        private boolean requireAllTasks;

        private Builder() {
            taskTier = "task";
            for (Task t : Task.values()) {
                taskValues.put(t.referenceValue(), t);
            }
            for (Variable v : Variable.values()) {
                variableTiers.put(v, v.referenceTier());
            }
            maskTier = "ignore";
            notEngagedValues.add("no");
            normalizer = ValueNormalizer.reference();
            requireAllTasks = true;
        }

        private Builder(RoleMapping m) {
            taskTier = m.taskTier;
            taskValues.putAll(m.taskValues);
            variableTiers.putAll(m.variableTiers);
            maskTier = m.maskTier;
            notEngagedValues.addAll(m.notEngagedValues);
            m.engagedValues.forEach((k, v) -> engagedValues.put(k, new TreeSet<>(v)));
            normalizer = m.normalizer;
            requireAllTasks = m.requireAllTasks;
        }

        /**
         * @param tier the tier holding the task spans (matched exactly)
         * @return this builder
         */
        public Builder taskTier(String tier) {
            this.taskTier = Objects.requireNonNull(tier, "taskTier");
            return this;
        }

        /**
         * Removes every task value, to start a new set.
         *
         * @return this builder
         */
        public Builder clearTaskValues() {
            taskValues.clear();
            return this;
        }

        /**
         * @param value a task-tier value, stripped and lower-cased when stored
         * @param task the task it stands for
         * @return this builder
         * @throws IllegalArgumentException if the value is blank or already stands for another
         *     task
         */
        public Builder taskValue(String value, Task task) {
            String v = ValueNormalizer.basic(Objects.requireNonNull(value, "value"));
            Objects.requireNonNull(task, "task");
            if (v.isEmpty()) {
                throw new IllegalArgumentException("task value is blank");
            }
            Task old = taskValues.get(v);
            if (old != null && old != task) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "task value '%s' already stands for %s, cannot also stand for %s", v,
                        old.paperName(), task.paperName()));
            }
            taskValues.put(v, task);
            return this;
        }

        /**
         * @param variable an engagement variable
         * @param tier the tier holding its spans (matched exactly)
         * @return this builder
         */
        public Builder variableTier(Variable variable, String tier) {
            variableTiers.put(Objects.requireNonNull(variable, "variable"),
                    Objects.requireNonNull(tier, "tier"));
            return this;
        }

        /**
         * @param tier the tier whose spans are masked out of sampling, or null for none; the tier
         *     is optional in documents
         * @return this builder
         */
        public Builder maskTier(String tier) {
            this.maskTier = tier;
            return this;
        }

        /**
         * @param values the values meaning "not engaged", normalised when stored; replaces the
         *     current set (may be empty: then every span is engaged)
         * @return this builder
         */
        public Builder notEngagedValues(Collection<String> values) {
            notEngagedValues.clear();
            for (String v : Objects.requireNonNull(values, "values")) {
                notEngagedValues.add(ValueNormalizer.basic(Objects.requireNonNull(v, "value")));
            }
            return this;
        }

        /**
         * @param variable an engagement variable
         * @param values the only values accepted as engaged (normalised when stored), or empty to
         *     accept every value that is not a not-engaged value
         * @return this builder
         */
        public Builder engagedValues(Variable variable, Collection<String> values) {
            Objects.requireNonNull(variable, "variable");
            Set<String> s = new TreeSet<>();
            for (String v : Objects.requireNonNull(values, "values")) {
                s.add(ValueNormalizer.basic(Objects.requireNonNull(v, "value")));
            }
            if (s.isEmpty()) {
                engagedValues.remove(variable);
            } else {
                engagedValues.put(variable, s);
            }
            return this;
        }

        /**
         * @param valueNormalizer the normaliser applied to every value
         * @return this builder
         */
        public Builder normalizer(ValueNormalizer valueNormalizer) {
            this.normalizer = Objects.requireNonNull(valueNormalizer, "normalizer");
            return this;
        }

        /**
         * @param required whether every task must have a span in every document
         * @return this builder
         */
        public Builder requireAllTasks(boolean required) {
            this.requireAllTasks = required;
            return this;
        }

        /**
         * @return the mapping
         * @throws IllegalArgumentException if a tier name is blank, two roles share a tier, no
         *     task value is given, all tasks are required but a task has no value, or a value is
         *     both engaged and not engaged
         */
        public RoleMapping build() {
            Map<String, String> roles = new LinkedHashMap<>();
            claim(roles, taskTier, "task spans");
            for (Variable v : Variable.values()) {
                claim(roles, variableTiers.get(v), v.paperName().replace('_', ' '));
            }
            if (maskTier != null) {
                claim(roles, maskTier, "mask");
            }
            if (taskValues.isEmpty()) {
                throw new IllegalArgumentException("no task value: map at least one task-tier"
                        + " value to a task");
            }
            if (requireAllTasks) {
                for (Task t : Task.values()) {
                    if (!taskValues.containsValue(t)) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "task %s has no task-tier value, but all tasks are required;"
                                        + " values: %s", t.paperName(), taskValues));
                    }
                }
            }
            for (Map.Entry<Variable, Set<String>> e : engagedValues.entrySet()) {
                for (String v : e.getValue()) {
                    if (notEngagedValues.contains(v)) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "value '%s' of %s is listed both as engaged and as not engaged",
                                v, e.getKey().paperName()));
                    }
                }
            }
            return new RoleMapping(this);
        }

        private static void claim(Map<String, String> roles, String tier, String role) {
            if (tier.isBlank()) {
                throw new IllegalArgumentException("tier name for " + role + " is blank");
            }
            String other = roles.putIfAbsent(tier, role);
            if (other != null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "tier '%s' is given two roles: %s and %s", tier, other, role));
            }
        }
    }
}

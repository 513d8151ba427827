package org.engagement4j.core.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.engagement4j.core.elan.ElanDocument;
import org.engagement4j.core.elan.ElanReader;
import org.junit.jupiter.api.Test;

/** Role mapping: from one coder's ELAN document to task spans, engaged time and masks. */
class RoleMappingTest {

    private static final String FILE = "fp19_ew_20220214.eaf";

    private static ElanDocument read(EafText eaf) throws IOException {
        return ElanReader.create().read(
                new ByteArrayInputStream(eaf.xml().getBytes(StandardCharsets.UTF_8)), FILE);
    }

    private static CoderAnnotations map(RoleMapping m, EafText eaf) throws IOException {
        return m.map(read(eaf), "ew");
    }

    private static RoleMappingException fails(RoleMapping m, EafText eaf) {
        return assertThrows(RoleMappingException.class, () -> map(m, eaf));
    }

    private static void assertNames(RoleMappingException e, String tier, String... ids) {
        assertEquals(FILE, e.source());
        assertEquals(Optional.ofNullable(tier), e.tierId());
        assertEquals(List.of(ids), e.annotationIds());
        assertTrue(e.getMessage().startsWith(FILE), e.getMessage());
        if (tier != null) {
            assertTrue(e.getMessage().contains("tier '" + tier + "'"), e.getMessage());
        }
        for (String id : ids) {
            assertTrue(e.getMessage().contains(id), e.getMessage());
        }
    }

    @Test
    void referenceMappingReadsTasksEngagementAndMask() throws IOException {
        EafText eaf = EafText.reference()
                .span("participating", 1_000, 3_000, "self")
                .span("participating", 3_000, 4_000, " Joint ") // touches: merges with the above
                .span("participating", 4_000, 6_000, "no") // not engaged
                .span("participating", 8_000, 12_000, "joint") // crosses dolls -> shaker
                .span("attending", 500, 900, "excitied") // typo corrected, still engaged
                .span("attending", 29_000, 31_000, "attending") // reaches past the last task
                .span("attending", 40_000, 41_000, "attending") // outside every task span
                .span("ignore", 5_000, 5_500, "dropped the toy");
        CoderAnnotations c = map(RoleMapping.reference(), eaf);

        assertEquals("ew", c.coder());
        assertEquals(Map.of(Task.DOLLS, Interval.of(0, 10_000), Task.SHAKER,
                Interval.of(10_000, 20_000), Task.DRUM, Interval.of(20_000, 30_000)),
                c.taskSpans());
        assertEquals(IntervalSet.of(Interval.of(1_000, 4_000), Interval.of(8_000, 10_000)),
                c.engaged(Task.DOLLS, Variable.TASK_ENGAGEMENT));
        assertEquals(IntervalSet.of(Interval.of(10_000, 12_000)),
                c.engaged(Task.SHAKER, Variable.TASK_ENGAGEMENT));
        assertTrue(c.engaged(Task.DRUM, Variable.TASK_ENGAGEMENT).isEmpty());
        assertEquals(IntervalSet.of(Interval.of(500, 900)),
                c.engaged(Task.DOLLS, Variable.SOCIAL_ENGAGEMENT));
        assertEquals(IntervalSet.of(Interval.of(29_000, 30_000)),
                c.engaged(Task.DRUM, Variable.SOCIAL_ENGAGEMENT));
        assertEquals(IntervalSet.of(Interval.of(5_000, 5_500)), c.masked());
        // Gaps inside the span are not engaged; the "no" span is not engaged.
        assertFalse(c.isEngaged(Task.DOLLS, Variable.TASK_ENGAGEMENT, 5_000));
        assertFalse(c.isEngaged(Task.DOLLS, Variable.TASK_ENGAGEMENT, 7_000));
    }

    @Test
    void customNamesAndValues() throws IOException {
        RoleMapping m = RoleMapping.builder().taskTier("Phase")
                .clearTaskValues().taskValue("Dolls", Task.DOLLS).taskValue("rattle", Task.SHAKER)
                .taskValue("DRUM", Task.DRUM)
                .variableTier(Variable.TASK_ENGAGEMENT, "TE")
                .variableTier(Variable.SOCIAL_ENGAGEMENT, "SE").maskTier(null)
                .notEngagedValues(List.of("none", "")).normalizer(ValueNormalizer.standard()
                        .withSynonym("rattel", "rattle"))
                .build();
        EafText eaf = new EafText().span("Phase", 0, 1_000, " dolls")
                .span("Phase", 1_000, 2_000, "RATTEL").span("Phase", 2_000, 3_000, "drum")
                .span("TE", 0, 500, "yes").span("TE", 500, 700, "None")
                .span("SE", 100, 200, "").span("SE", 2_500, 2_600, "x")
                .span("ignore", 0, 3_000, "would mask everything");
        CoderAnnotations c = map(m, eaf);
        assertEquals(Interval.of(1_000, 2_000), c.taskSpan(Task.SHAKER).orElseThrow());
        assertEquals(IntervalSet.of(Interval.of(0, 500)),
                c.engaged(Task.DOLLS, Variable.TASK_ENGAGEMENT));
        assertTrue(c.engaged(Task.DOLLS, Variable.SOCIAL_ENGAGEMENT).isEmpty(), "blank = no");
        assertEquals(IntervalSet.of(Interval.of(2_500, 2_600)),
                c.engaged(Task.DRUM, Variable.SOCIAL_ENGAGEMENT));
        assertTrue(c.masked().isEmpty(), "no mask tier configured");
    }

    @Test
    void missingMaskTierIsFine() throws IOException {
        CoderAnnotations c = map(RoleMapping.reference(), EafText.reference());
        assertTrue(c.masked().isEmpty());
    }

    @Test
    void withMethodsReturnNewMappings() {
        RoleMapping ref = RoleMapping.reference();
        RoleMapping other = ref.withTaskTier("phase");
        assertEquals("task", ref.taskTier());
        assertEquals("phase", other.taskTier());
        assertNotEquals(ref, other);
        assertEquals(ref, other.withTaskTier("task"));
        assertEquals(ref.hashCode(), other.withTaskTier("task").hashCode());
        assertEquals(Map.of("people", Task.DOLLS, "eggs", Task.SHAKER, "drums", Task.DRUM),
                ref.taskValues());
        assertEquals("participating", ref.variableTier(Variable.TASK_ENGAGEMENT));
        assertEquals("attending", ref.variableTier(Variable.SOCIAL_ENGAGEMENT));
        assertEquals(Optional.of("ignore"), ref.maskTier());
        assertEquals(Set.of("no"), ref.notEngagedValues());
        assertTrue(ref.requireAllTasks());
        assertEquals(Optional.empty(), ref.withMaskTier(null).maskTier());
        assertEquals(Task.DOLLS, ref.withTaskValue("Dolls", Task.DOLLS).taskValues().get("dolls"));
        assertEquals(Map.of("a", Task.DOLLS), ref.withRequireAllTasks(false)
                .withTaskValues(Map.of("A", Task.DOLLS)).taskValues());
        assertEquals(Set.of("joint", "self"), ref.withEngagedValues(Variable.TASK_ENGAGEMENT,
                List.of("self", "Joint")).engagedValues(Variable.TASK_ENGAGEMENT));
        assertEquals(Set.of(), ref.engagedValues(Variable.TASK_ENGAGEMENT));
        assertEquals("x", ref.withVariableTier(Variable.SOCIAL_ENGAGEMENT, "x")
                .variableTier(Variable.SOCIAL_ENGAGEMENT));
        assertEquals(ValueNormalizer.standard(),
                ref.withNormalizer(ValueNormalizer.standard()).normalizer());
    }

    @Test
    void invalidConfigurationsAreRejected() {
        RoleMapping ref = RoleMapping.reference();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ref.withVariableTier(Variable.SOCIAL_ENGAGEMENT, "participating"));
        assertTrue(e.getMessage().contains("two roles"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ref.withMaskTier("task"));
        assertThrows(IllegalArgumentException.class, () -> ref.withTaskTier(" "));
        e = assertThrows(IllegalArgumentException.class,
                () -> ref.withTaskValues(Map.of("people", Task.DOLLS)));
        assertTrue(e.getMessage().contains("shaker"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ref.withRequireAllTasks(false).withTaskValues(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ref.withTaskValue("eggs", Task.DRUM));
        assertThrows(IllegalArgumentException.class, () -> ref.withTaskValue(" ", Task.DRUM));
        e = assertThrows(IllegalArgumentException.class,
                () -> ref.withEngagedValues(Variable.TASK_ENGAGEMENT, List.of("self", "No")));
        assertTrue(e.getMessage().contains("'no'"), e.getMessage());
    }

    @Test
    void unknownTaskValueNamesFileTierAndAnnotation() {
        EafText eaf = new EafText().span("task", 0, 1_000, "people")
                .span("task", "a77", 1_000, 2_000, "marbles").span("task", 2_000, 3_000, "drums")
                .tier("participating").tier("attending");
        RoleMappingException e = fails(RoleMapping.reference(), eaf);
        assertNames(e, "task", "a77");
        assertTrue(e.getMessage().contains("unknown task value 'marbles'"), e.getMessage());
        assertTrue(e.getMessage().contains("[people, eggs, drums]"), e.getMessage());
    }

    @Test
    void taskMarkedTwiceNamesBothAnnotations() {
        EafText eaf = EafText.reference().span("task", "a90", 40_000, 50_000, "Eggs");
        RoleMappingException e = fails(RoleMapping.reference(), eaf);
        assertNames(e, "task", "a2", "a90");
        assertTrue(e.getMessage().contains("shaker is marked 2 times"), e.getMessage());
    }

    @Test
    void missingTaskIsAnErrorUnlessAllowed() throws IOException {
        EafText eaf = new EafText().span("task", 0, 1_000, "people")
                .span("task", 1_000, 2_000, "egg").tier("participating").tier("attending");
        RoleMappingException e = fails(RoleMapping.reference(), eaf);
        assertNames(e, "task");
        assertTrue(e.getMessage().contains("[drum]"), e.getMessage());

        CoderAnnotations c = map(RoleMapping.reference().withRequireAllTasks(false), eaf);
        assertEquals(Set.of(Task.DOLLS, Task.SHAKER), c.tasks());
    }

    @Test
    void zeroLengthTaskSpanIsAnError() {
        EafText eaf = new EafText().span("task", 0, 1_000, "people")
                .span("task", "a5", 1_000, 1_000, "eggs").span("task", 2_000, 3_000, "drums")
                .tier("participating").tier("attending");
        assertNames(fails(RoleMapping.reference(), eaf), "task", "a5");
    }

    @Test
    void missingRoleTiersAreNamed() {
        RoleMappingException e = fails(RoleMapping.reference(),
                EafText.reference().without("task"));
        assertNames(e, "task");
        assertTrue(e.getMessage().contains("missing role tier"), e.getMessage());
        assertTrue(e.getMessage().contains("[participating, attending]"), e.getMessage());

        assertNames(fails(RoleMapping.reference(), EafText.reference().without("attending")),
                "attending");
        assertNames(fails(RoleMapping.reference(),
                EafText.reference().without("participating")), "participating");
    }

    @Test
    void overlappingSpansInAnyRoleTierAreErrors() {
        EafText eng = EafText.reference().span("attending", "a50", 1_000, 3_000, "attending")
                .span("attending", "a51", 2_000, 4_000, "excited");
        RoleMappingException e = fails(RoleMapping.reference(), eng);
        assertNames(e, "attending", "a50", "a51");
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());

        // A span inside a long one is caught even when a zero-length span lies between them.
        EafText nested = EafText.reference().span("participating", "b1", 0, 9_000, "self")
                .span("participating", "b2", 1_000, 1_000, "no")
                .span("participating", "b3", 5_000, 6_000, "self");
        assertNames(fails(RoleMapping.reference(), nested), "participating", "b1", "b3");

        EafText tasks = new EafText().span("task", "t1", 0, 10_000, "people")
                .span("task", "t2", 9_000, 20_000, "eggs").span("task", 20_000, 30_000, "drums")
                .tier("participating").tier("attending");
        assertNames(fails(RoleMapping.reference(), tasks), "task", "t1", "t2");

        EafText mask = EafText.reference().span("ignore", "m1", 0, 500, "x")
                .span("ignore", "m2", 400, 600, "y");
        assertNames(fails(RoleMapping.reference(), mask), "ignore", "m1", "m2");
    }

    @Test
    void blankAndUnexpectedEngagementValues() throws IOException {
        EafText blank = EafText.reference().span("attending", "a60", 100, 200, "  ");
        RoleMappingException e = fails(RoleMapping.reference(), blank);
        assertNames(e, "attending", "a60");
        assertTrue(e.getMessage().contains("blank value"), e.getMessage());

        RoleMapping strict = RoleMapping.reference()
                .withEngagedValues(Variable.TASK_ENGAGEMENT, List.of("self", "joint"));
        EafText typo = EafText.reference().span("participating", "a61", 100, 200, "slef");
        e = fails(strict, typo);
        assertNames(e, "participating", "a61");
        assertTrue(e.getMessage().contains("'slef'"), e.getMessage());
        // Without the restriction, any value other than "no" is engaged.
        assertEquals(100, map(RoleMapping.reference(), typo)
                .engaged(Task.DOLLS, Variable.TASK_ENGAGEMENT).durationMs());
    }

    @Test
    void unplacedAnnotationInARoleTierIsAnError() throws IOException {
        // End slot without time and no aligned slot after it: the reader cannot place it.
        EafText eaf = EafText.reference().span("attending", "a70", 1_000, -1, "attending");
        ElanDocument doc = read(eaf);
        assertEquals(1, doc.unplaced().size());
        RoleMappingException e = assertThrows(RoleMappingException.class,
                () -> RoleMapping.reference().map(doc, "ew"));
        assertNames(e, "attending", "a70");

        // In a tier without a role it is no concern of the mapping.
        EafText other = EafText.reference().span("comments", "a71", 1_000, -1, "hm");
        assertEquals(3, map(RoleMapping.reference(), other).tasks().size());
    }

    @Test
    void plainInputsReportReversedSpans() {
        RoleMappingException e = assertThrows(RoleMappingException.class,
                () -> RoleMapping.reference().mapSpans("x.csv", "c", Map.of("task",
                        List.of(new RawSpan("r1", 10, 5, "people"))), List.of()));
        assertEquals(List.of("r1"), e.annotationIds());
        assertTrue(e.getMessage().contains("before its start"), e.getMessage());
    }

    @Test
    void realFileWithoutRoleTiersFailsNamingIt() throws IOException {
        assumeTrue(Boolean.getBoolean("engagement4j.conformance"));
        Path file = Path.of(System.getProperty("engagement4j.shared.dir"), "data", "elan",
                "sample_3.0.eaf");
        ElanDocument doc = ElanReader.create().read(file);
        RoleMappingException e = assertThrows(RoleMappingException.class,
                () -> RoleMapping.reference().map(doc, "x"));
        assertEquals(file.toString(), e.source());
        assertEquals(Optional.of("task"), e.tierId());
        assertTrue(e.getMessage().contains("gestures"), e.getMessage());

        // Mapped onto its own tiers the demo file breaks a rule, and the message says which.
        RoleMapping custom = RoleMapping.builder().taskTier("gestures").requireAllTasks(false)
                .variableTier(Variable.TASK_ENGAGEMENT, "text")
                .variableTier(Variable.SOCIAL_ENGAGEMENT, "gest_included").build();
        RoleMappingException e2 = assertThrows(RoleMappingException.class,
                () -> custom.map(doc, "x"));
        assertEquals(Optional.of("gestures"), e2.tierId());
        assertFalse(e2.annotationIds().isEmpty(), e2.getMessage());
    }
}

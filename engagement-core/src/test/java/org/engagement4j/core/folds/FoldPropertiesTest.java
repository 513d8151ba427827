package org.engagement4j.core.folds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.engagement4j.core.annotation.CodedSession;

class FoldPropertiesTest {

    @Property(tries = 60, seed = "20221107")
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void everyPlanIsAPartitionMeetingItsConstraints(@ForAll @IntRange(min = 0, max = 4) int pilots,
            @ForAll @IntRange(min = 2, max = 7) int perBlock,
            @ForAll @IntRange(min = 2, max = 5) int folds, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 8) int groupSize) {
        List<CodedSession> sessions = FoldFixtures.referenceLike(pilots, perBlock, seed);
        List<String> ids = sessions.stream().map(CodedSession::session).toList();
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new Random(seed));
        List<String> group = shuffled.subList(0, Math.min(groupSize, ids.size()));
        FoldSplitter splitter = FoldSplitter.withDefaults().withFolds(folds).withTries(300)
                .withGroup(group);
        FoldPlan plan = null;
        try {
            plan = splitter.split(sessions, seed);
        } catch (IllegalArgumentException e) {
            // Only the block constraint may make a valid input unsplittable.
            assertTrue(e.getMessage().contains("coder block"), e.getMessage());
        }
        // The constraint checks below must not be vacuous.
        Statistics.label("outcome").collect(plan == null ? "unsplittable" : "split");
        Statistics.label("outcome").coverage(c -> c.check("split").percentage(p -> p >= 50));
        if (plan == null) {
            return;
        }
        FoldPlan fp = plan;
        assertEquals(new TreeSet<>(ids), new TreeSet<>(plan.sessions()));
        assertEquals(ids.size(), plan.sessions().size());
        int g = group.size();
        for (List<String> fold : plan.folds()) {
            long inGroup = fold.stream().filter(group::contains).count();
            assertTrue(inGroup == g / folds || inGroup == (g + folds - 1) / folds,
                    () -> "round-robin broken: " + fp.folds() + " group " + group);
        }
        Map<String, String> blockOf = sessions.stream().collect(Collectors.toMap(
                CodedSession::session, s -> String.join("+", s.coderNames())));
        Set<String> all = new HashSet<>(blockOf.values());
        Set<String> inTest = plan.testFold().stream().map(blockOf::get).collect(Collectors.toSet());
        assertEquals(all, inTest);
        assertEquals(plan.score(), splitter.score(sessions, plan.folds()), 1e-9);
        assertTrue(plan.score() >= 0);
    }

    @Property(tries = 20)
    void deterministicForASeed(@ForAll long seed) {
        List<CodedSession> sessions = FoldFixtures.referenceLike(2, 4, 99);
        FoldSplitter s = FoldSplitter.withDefaults().withFolds(3).withTries(200);
        List<CodedSession> reversed = new ArrayList<>(sessions);
        Collections.reverse(reversed);
        assertEquals(s.split(sessions, seed), s.split(reversed, seed));
    }
}

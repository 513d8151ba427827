package org.engagement4j.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.stats.StatsFixture.Coder;
import org.junit.jupiter.api.Test;

class StatsWritersTest {

    private static final DurationTable DURATIONS = DurationTable.of(StatsFixture.sessions());
    private static final AgreementTable AGREEMENT =
            HumanAgreement.reference().compute(StatsFixture.sessions());

    @Test
    void durationsCsv() {
        StringBuilder sb = new StringBuilder();
        StatsCsv.writeDurations(DURATIONS, sb);
        String[] lines = sb.toString().split("\n");
        assertEquals(5, lines.length);
        assertEquals(StatsCsv.DURATIONS_HEADER, lines[0]);
        int columns = lines[0].split(",").length;
        for (String l : lines) {
            assertEquals(columns, l.split(",", -1).length, l);
        }
        assertTrue(lines[1].startsWith("dolls,7,1387.142857142857,485.96002187128"), lines[1]);
        assertTrue(lines[1].endsWith(",3,0.9683333333333334,3810"), lines[1]);
        assertTrue(lines[4].startsWith("total,21,"), lines[4]);
        assertTrue(lines[4].endsWith(",9710"), lines[4]);

        sb.setLength(0);
        StatsCsv.writeOverlaps(DURATIONS, sb);
        lines = sb.toString().split("\n");
        assertEquals(StatsCsv.OVERLAPS_HEADER, lines[0]);
        assertEquals("s1,dolls,3,3,1810,2000,0.905", lines[1]);
        assertEquals(10, lines.length);
    }

    @Test
    void agreementCsvListsSharedPairsWithEmptyUndefinedKappa() {
        StringBuilder sb = new StringBuilder();
        StatsCsv.writeAgreement(AGREEMENT, sb);
        List<String> lines = List.of(sb.toString().split("\n"));
        assertEquals(StatsCsv.AGREEMENT_HEADER, lines.get(0));
        assertEquals(1 + 36, lines.size());
        assertTrue(lines.get(1).startsWith("all,both,A,B,138,0.9202898550724637,0.82187279981225"),
                lines.get(1));
        assertTrue(lines.contains("drum,task_engagement,A,C,10,1.0,,,,"), sb.toString());
    }

    @Test
    void csvQuotesNamesWithCommasAndPairsWithoutSharedSessionsAreLeftOut() {
        CodedSession s1 = StatsFixture.session("s1",
                new Coder("Smith, J").spans(0, 1000, 1000, 2000, 2000, 3000).te(0, 500),
                new Coder("say \"B\"").spans(0, 1000, 1000, 2000, 2000, 3000).te(0, 400));
        CodedSession s2 = StatsFixture.session("s2",
                new Coder("C").spans(0, 1000, 1000, 2000, 2000, 3000).te(0, 500),
                new Coder("say \"B\"").spans(0, 1000, 1000, 2000, 2000, 3000).te(0, 400));
        AgreementTable t = HumanAgreement.reference().compute(List.of(s1, s2));
        StringBuilder sb = new StringBuilder();
        StatsCsv.writeAgreement(t, sb);
        String first = sb.toString().split("\n")[1];
        assertTrue(first.startsWith("all,both,C,\"say \"\"B\"\"\",60,"), first);
        assertTrue(sb.toString().contains(",\"Smith, J\",\"say \"\"B\"\"\",60,"), sb.toString());
        // C and Smith never coded the same session: no row.
        assertFalse(sb.toString().contains("C,\"Smith, J\""), sb.toString());
        assertEquals(2, t.overall().pairs().size());
    }

    @Test
    void jsonHasTheTablesAndNullForUndefinedValues() throws IOException {
        JsonNode root = new ObjectMapper().readTree(StatsJson.toJson(DURATIONS, AGREEMENT));
        JsonNode dolls = root.get("durations").get("columns").get("dolls");
        assertEquals(7, dolls.get("individual").get("count").asInt());
        assertEquals(1387.142857142857, dolls.get("individual").get("mean_ms").asDouble(), 1e-9);
        assertEquals(0.9683333333333334, dolls.get("mean_iou").asDouble(), 1e-12);
        assertEquals(3810, dolls.get("intersection_total_ms").asLong());
        assertEquals(2, dolls.get("engaged_intervals").size());
        assertEquals(9, root.get("durations").get("overlaps").size());
        assertEquals(4, root.get("durations").get("columns").size());

        JsonNode agreement = root.get("agreement");
        assertEquals(100, agreement.get("step_ms").asInt());
        assertEquals(12, agreement.get("matrices").size());
        JsonNode all = agreement.get("matrices").get(0);
        assertEquals("all", all.get("task").asText());
        assertEquals("both", all.get("variable").asText());
        assertEquals(198, all.get("samples").asInt());
        assertEquals(0.8218727998122506, all.get("cohen_kappa").get(0).get(1).asDouble(), 1e-12);
        assertEquals(3, all.get("pairs").size());
        JsonNode drumTe = null;
        for (JsonNode m : agreement.get("matrices")) {
            if (m.get("task").asText().equals("drum")
                    && m.get("variable").asText().equals("task_engagement")) {
                drumTe = m;
            }
        }
        assertTrue(drumTe.get("cohen_kappa").get(0).get(2).isNull());
        assertTrue(drumTe.get("pairs").get(1).get("cohen_kappa").isNull());
        assertEquals(0.857142857142857, drumTe.get("mean_cohen_kappa").asDouble(), 1e-12);
        assertFalse(StatsJson.toJson(AGREEMENT).contains("NaN"));
        assertEquals(root.get("durations"),
                new ObjectMapper().readTree(StatsJson.toJson(DURATIONS)));
    }

    @Test
    void writerFailureIsReportedUnchecked() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> StatsCsv.writeDurations(DURATIONS, broken));
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    }
}

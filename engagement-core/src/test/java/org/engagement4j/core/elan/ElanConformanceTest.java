package org.engagement4j.core.elan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.SAXException;

/**
 * The reader and writer against the real ELAN files and schemas in
 * {@code ../shared/data/elan} (conformance profile only: {@code -Dengagement4j.conformance=true}).
 *
 * <p>Expected numbers were counted independently with Python's {@code xml.etree}
 * (Python 3.11, /usr/bin/python3), in {@code ../shared/data/elan}:
 * <pre>
 * import xml.etree.ElementTree as ET
 * r = ET.parse('sample_3.0.eaf').getroot()          # same numbers for sample_2.8.eaf
 * ts = r.findall('TIME_ORDER/TIME_SLOT')
 * len(ts), sum('TIME_VALUE' not in t.attrib for t in ts)            # 7182 1572
 * len(r.findall('TIER'))                                            # 6
 * len(r.findall('TIER/ANNOTATION/ALIGNABLE_ANNOTATION'))            # 4788
 * len(r.findall('TIER/ANNOTATION/REF_ANNOTATION'))                  # 3990
 * for t in r.findall('TIER'):
 *     print(t.get('TIER_ID'), len(t.findall('ANNOTATION/ALIGNABLE_ANNOTATION')),
 *           len(t.findall('ANNOTATION/REF_ANNOTATION')), t.get('PARENT_REF'),
 *           t.get('LINGUISTIC_TYPE_REF'))
 * # text 399 0 None text / words-timesub 1995 0 text words_timesub /
 * # words-symsub 0 1995 text words_symsub / gestures 1197 0 None gesture /
 * # gest_included 1197 0 text gest_included / words-pos 0 1995 words-symsub pos
 * </pre>
 * Annotation times come from an independent Python implementation of the documented slot rule
 * (chain of annotations between aligned slots split evenly; references follow
 * {@code ANNOTATION_REF} to the alignable root), run as
 * {@code python3 expected.py sample_3.0.eaf a1 a410 a414 a4396 a5593 a6784 a6785 a8778 a2396}:
 * <pre>
 * unaligned 1572 estimated by chains 1572
 * estimated annotations 1965
 * a1 text 2000 5000 False 'The quick brown fox 001'
 * a410 words-timesub 8000 8600 True 'The'
 * a414 words-timesub 10400 11000 True '003'
 * a4396 gestures 7800 8400 False 'hold'
 * a5593 gest_included 8000 8400 False 'hold'
 * a6784 words-pos 2000 5000 False ''
 * a6785 words-pos 2000 5000 False 'adj'
 * a8778 words-pos 1196000 1199000 False ''
 * a2396 words-symsub 2000 5000 False 'quick'
 * </pre>
 * ({@code expected.py} is pasted at the end of this class's source as a comment.)
 */
class ElanConformanceTest {

    private static Path elanDir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireSharedData() {
        Assumptions.assumeTrue(Boolean.getBoolean("engagement4j.conformance"),
                "conformance tests are off (-Dengagement4j.conformance=true)");
        String shared = System.getProperty("engagement4j.shared.dir");
        Assumptions.assumeTrue(shared != null, "engagement4j.shared.dir is not set");
        elanDir = Path.of(shared, "data", "elan");
        Assumptions.assumeTrue(Files.isDirectory(elanDir), elanDir + " is missing");
    }

    private static ElanDocument read(String name) throws IOException {
        return ElanReader.create().read(elanDir.resolve(name));
    }

    private static Schema eaf30;

    private static synchronized Schema schema30() throws SAXException {
        if (eaf30 == null) {
            eaf30 = schema("EAFv3.0.xsd");
        }
        return eaf30;
    }

    private static Schema schema(String xsd) throws SAXException {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
        return f.newSchema(elanDir.resolve(xsd).toFile());
    }

    /** Validates against EAFv3.0.xsd, ignoring the file's own schema location hint. */
    static void validate30(Path file) throws IOException, SAXException {
        Validator v = schema30().newValidator();
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        v.validate(new StreamSource(file.toFile()));
    }

    @Test
    void countsMatchAnIndependentCount() throws IOException {
        for (String name : List.of("sample_2.8.eaf", "sample_3.0.eaf")) {
            ElanDocument d = read(name);
            assertEquals(7182, d.timeSlots().size(), name);
            assertEquals(1572, d.unalignedSlotCount(), name);
            assertEquals(1572, d.timeSlots().stream().filter(TimeSlot::estimated).count(), name);
            assertTrue(d.unplaced().isEmpty(), name);
            assertEquals(List.of("text", "words-timesub", "words-symsub", "gestures",
                    "gest_included", "words-pos"), d.tierIds(), name);
            int[][] counts = {{399, 0}, {1995, 0}, {0, 1995}, {1197, 0}, {1197, 0}, {0, 1995}};
            String[] parents = {null, "text", "text", null, "text", "words-symsub"};
            String[] types = {"text", "words_timesub", "words_symsub", "gesture",
                "gest_included", "pos"};
            int alignable = 0;
            int refs = 0;
            for (int i = 0; i < 6; i++) {
                Tier t = d.tiers().get(i);
                assertEquals(counts[i][0], t.alignableCount(), t.id());
                assertEquals(counts[i][1], t.referenceCount(), t.id());
                assertEquals(Optional.ofNullable(parents[i]), t.parentRef(), t.id());
                assertEquals(types[i], t.linguisticType(), t.id());
                alignable += t.alignableCount();
                refs += t.referenceCount();
            }
            assertEquals(4788, alignable, name);
            assertEquals(3990, refs, name);
            assertEquals(1965, d.tiers().stream().flatMap(t -> t.annotations().stream())
                    .filter(Annotation::timeEstimated).count(), name);
            assertEquals(name.substring(7, 10), d.format());
            assertEquals(6, d.linguisticTypes().size());
            assertEquals(List.of(new MediaDescriptor(
                    "file:///Users/Shared/MPI/DemoMaterial/yele/r03_v20_s5.wav", "audio/x-wav",
                    Optional.of("../../DemoMaterial/yele/r03_v20_s5.wav"), 0)), d.media());
        }
    }

    @Test
    void spotChecksMatchAnIndependentImplementation() throws IOException {
        ElanDocument d = read("sample_3.0.eaf");
        check(d, "a1", "text", 2000, 5000, false, "The quick brown fox 001");
        check(d, "a410", "words-timesub", 8000, 8600, true, "The");
        check(d, "a414", "words-timesub", 10400, 11000, true, "003");
        check(d, "a4396", "gestures", 7800, 8400, false, "hold");
        check(d, "a5593", "gest_included", 8000, 8400, false, "hold");
        check(d, "a6784", "words-pos", 2000, 5000, false, "");
        check(d, "a6785", "words-pos", 2000, 5000, false, "adj");
        check(d, "a8778", "words-pos", 1196000, 1199000, false, "");
        check(d, "a2396", "words-symsub", 2000, 5000, false, "quick");
        assertEquals(Optional.of("a2395"), d.annotation("a2396").orElseThrow().previousId());
        assertEquals(Optional.of(new org.engagement4j.core.annotation.Interval(1800, 1199000)),
                d.timeRange());
    }

    private static void check(ElanDocument d, String id, String tier, long start, long end,
            boolean estimated, String value) {
        Annotation a = d.annotation(id).orElseThrow();
        assertEquals(tier, a.tierId(), id);
        assertEquals(start, a.startMs(), id);
        assertEquals(end, a.endMs(), id);
        assertEquals(estimated, a.timeEstimated(), id);
        assertEquals(value, a.value(), id);
    }

    @Test
    void bothFormatsGiveTheSameContent() throws IOException {
        ElanDocument a = read("sample_2.8.eaf");
        ElanDocument b = read("sample_3.0.eaf");
        assertEquals(ElanWriterTest.asWritten(a, "x"), ElanWriterTest.asWritten(b, "x"));
    }

    @Test
    void theSchemaValidatorWorksOnBothSidesOfTheLine() throws Exception {
        Path good = tmp.resolve("good.eaf");
        ElanWriter.write(good, ElanReaderTest.read("minimal.eaf"));
        validate30(good);
        // A negative control: a slot reference that does not exist breaks a keyref.
        String bad = Files.readString(good)
                .replace("TIME_SLOT_REF1=\"ts1\"", "TIME_SLOT_REF1=\"ts999\"");
        assertFalse(bad.equals(Files.readString(good)), "the control must change the file");
        Path f = tmp.resolve("bad.eaf");
        Files.writeString(f, bad, StandardCharsets.UTF_8);
        assertThrows(SAXException.class, () -> validate30(f));
    }

    @Test
    void writtenFilesAreValidEaf30AndReadBack() throws Exception {
        // Validating one 2.4 MB file takes seconds; the 2.8 sample has the same content.
        for (String name : List.of("sample_2.8.eaf", "sample_3.0.eaf")) {
            ElanDocument d = read(name);
            Path f = tmp.resolve("written-" + name);
            ElanWriter.write(f, d);
            if (name.equals("sample_3.0.eaf")) {
                validate30(f);
            }
            assertEquals(ElanWriterTest.asWritten(d, f.toString()),
                    ElanReader.create().read(f));
        }
        for (String name : List.of("minimal.eaf", "unaligned.eaf", "references.eaf")) {
            Path f = tmp.resolve("written-" + name);
            ElanWriter.write(f, ElanReaderTest.read(name));
            validate30(f);
        }
    }

    @Test
    void codeBuiltDocumentsAreValid() throws Exception {
        Tier top = Tier.of("task", "default-lt", List.of(
                Annotation.alignable("a1", "task", 0, 1000, "people & <dolls>")));
        Tier sub = new Tier("notes", Optional.of("infant"), Optional.of("x"),
                Optional.of("task"), "notes-lt", List.of(
                        Annotation.reference("a2", "notes", "a1", 0, 1000, "n1"),
                        Annotation.reference("a3", "notes", "a1", 0, 1000, "n2")));
        Tier inner = new Tier("inner", Optional.empty(), Optional.empty(), Optional.of("task"),
                "inner-lt", List.of(Annotation.alignable("a4", "inner", 100, 200, "i")));
        Path f = tmp.resolve("built.eaf");
        ElanWriter.write(f, ElanDocument.of("built", List.of(top, sub, inner)));
        validate30(f);
    }

    @Test
    void syntheticFilesAreValidEaf30AndReadBack() throws Exception {
        SyntheticSession s = SyntheticCoding.withDefaults().withCoders(2).generate("s01", 2022);
        List<Path> files = s.writeTo(tmp.resolve("synthetic"));
        assertEquals(2, files.size());
        for (int i = 0; i < files.size(); i++) {
            validate30(files.get(i));
            ElanDocument back = ElanReader.create().read(files.get(i));
            assertEquals(s.documents().get(s.coders().get(i)).withSource(files.get(i).toString()),
                    back);
            assertFalse(back.tier("task").orElseThrow().annotations().isEmpty());
        }
    }
}

/*
 * expected.py, used above (run with /usr/bin/python3):
 *
 * import sys, xml.etree.ElementTree as ET
 * r = ET.parse(sys.argv[1]).getroot()
 * val = {s.get('TIME_SLOT_ID'): s.get('TIME_VALUE') for s in r.iter('TIME_SLOT')}
 * est = {}
 * for t in r.findall('TIER'):  # chain rule: aligned -> unaligned... -> aligned, split evenly
 *     al = list(t.iter('ALIGNABLE_ANNOTATION'))
 *     nxt = {}
 *     for a in al:
 *         nxt.setdefault(a.get('TIME_SLOT_REF1'), a.get('TIME_SLOT_REF2'))
 *     for a in al:
 *         s, path = a.get('TIME_SLOT_REF1'), [a.get('TIME_SLOT_REF2')]
 *         if val[s] is None or val[path[0]] is not None:
 *             continue
 *         while path[-1] in nxt and val[path[-1]] is None:
 *             path.append(nxt[path[-1]])
 *         if val[path[-1]] is None:
 *             continue
 *         a0, b0, k = int(val[s]), int(val[path[-1]]), len(path)
 *         for i, u in enumerate(path[:-1]):
 *             est.setdefault(u, a0 + (b0 - a0) * (i + 1) // k)
 * ann = {}
 * for t in r.findall('TIER'):
 *     for a in t.iter('ALIGNABLE_ANNOTATION'):
 *         s1, s2 = a.get('TIME_SLOT_REF1'), a.get('TIME_SLOT_REF2')
 *         t1 = int(val[s1]) if val[s1] else est[s1]
 *         t2 = int(val[s2]) if val[s2] else est[s2]
 *         ann[a.get('ANNOTATION_ID')] = (t.get('TIER_ID'), t1, t2,
 *             a.findtext('ANNOTATION_VALUE') or '', not (val[s1] and val[s2]), None)
 *     for a in t.iter('REF_ANNOTATION'):
 *         ann[a.get('ANNOTATION_ID')] = (t.get('TIER_ID'), None, None,
 *             a.findtext('ANNOTATION_VALUE') or '', None, a.get('ANNOTATION_REF'))
 * def times(i):
 *     while ann[i][5]: i = ann[i][5]
 *     return ann[i][1], ann[i][2], ann[i][4]
 * print('unaligned', sum(v is None for v in val.values()), 'estimated by chains', len(est))
 * print('estimated annotations', sum(1 for i in ann if times(i)[2]))
 * for i in sys.argv[2:]:
 *     print(i, ann[i][0], *times(i), repr(ann[i][3]))
 */

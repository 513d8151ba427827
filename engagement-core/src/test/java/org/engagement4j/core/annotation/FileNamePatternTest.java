package org.engagement4j.core.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileNamePatternTest {

    @Test
    void referenceConvention() {
        FileNamePattern p = FileNamePattern.reference();
        assertEquals(Optional.of(new FileNameMatch("fp19_ew_20220214.eaf", "fp19", "ew",
                Optional.of(LocalDate.of(2022, 2, 14)))), p.match("fp19_ew_20220214.eaf"));
        assertEquals(Optional.empty(), p.match("fp19_ew.eaf"));
        assertEquals(Optional.empty(), p.match("fp19_ew_20220214.eaf.bak"));
        assertEquals(Optional.empty(), p.match("fp19_e_w_20220214.eaf"));
        assertEquals(Optional.empty(), p.match("fp19_ew_2022021.eaf"));
        assertEquals(Optional.empty(), p.match("fp19_ew_20220214.pfsx"));
    }

    @Test
    void invalidDateNamesTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileNamePattern.reference().match("fp19_ew_20221340.eaf"));
        assertTrue(e.getMessage().startsWith("fp19_ew_20221340.eaf"), e.getMessage());
        assertTrue(e.getMessage().contains("20221340"), e.getMessage());
        // Strict resolution: February 30th is no date either.
        assertThrows(IllegalArgumentException.class,
                () -> FileNamePattern.reference().match("fp19_ew_20220230.eaf"));
    }

    @Test
    void customPatternWithoutDate() {
        FileNamePattern p = FileNamePattern.of("(?<coder>[a-z]+)-(?<session>s\\d+)\\.eaf");
        assertEquals(Optional.of(new FileNameMatch("anna-s12.eaf", "s12", "anna",
                Optional.empty())), p.match("anna-s12.eaf"));
        assertEquals("(?<coder>[a-z]+)-(?<session>s\\d+)\\.eaf", p.regex());
        assertEquals(p, FileNamePattern.of(p.regex()));
    }

    @Test
    void optionalGroupsThatMatchEmptyAreErrors() {
        FileNamePattern p = FileNamePattern.of("(?<session>\\w*)_(?<coder>\\w+)(_(?<date>\\d{8}))?"
                + "\\.eaf");
        assertEquals(Optional.empty(), p.match("s1_bob.eaf").orElseThrow().date());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.match("_bob.eaf"));
        assertTrue(e.getMessage().contains("empty session or coder"), e.getMessage());
    }

    @Test
    void badPatternsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileNamePattern.of("(?<session>.+)\\.eaf"));
        assertTrue(e.getMessage().contains("(?<coder>"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FileNamePattern.of("(?<session>.+)_(?<coder>.+"));
        assertTrue(e.getMessage().contains("not a valid regular expression"), e.getMessage());
        // A group named like a required one only in a comment does not count.
        assertThrows(IllegalArgumentException.class,
                () -> FileNamePattern.of("(?x)(?<session>.+) # (?<coder>x)"));
    }
}

package org.engagement4j.core.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueNormalizerTest {

    @Test
    void stripsAndLowerCases() {
        ValueNormalizer n = ValueNormalizer.standard();
        assertEquals("joint", n.normalize("  Joint\t"));
        assertEquals("", n.normalize(null));
        assertEquals("", n.normalize(" \u2003 "), "Unicode white space is stripped too");
    }

    @Test
    void lowerCasingIgnoresTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            // Turkish lower-cases "I" to a dotless i; the normaliser must not.
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals("ignore", ValueNormalizer.standard().normalize("IGNORE"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void referenceCorrectsTheReferenceTypos() {
        ValueNormalizer n = ValueNormalizer.reference();
        assertEquals("attending", n.normalize("Attednding"));
        assertEquals("attending", n.normalize("attendinh "));
        assertEquals("excited", n.normalize("excitied"));
        assertEquals("eggs", n.normalize("EGG"));
        assertEquals("people", n.normalize("people"));
        assertEquals(4, n.synonyms().size());
    }

    @Test
    void synonymsAreNormalisedAndImmutable() {
        ValueNormalizer a = ValueNormalizer.standard();
        ValueNormalizer b = a.withSynonym(" Yes ", "SELF");
        assertTrue(a.synonyms().isEmpty());
        assertEquals(Map.of("yes", "self"), b.synonyms());
        assertEquals("self", b.normalize("YES"));
        assertSame(b, b.withSynonym("x", "X"), "identity synonym changes nothing");
        assertEquals(b, b.withSynonym("yes", "self"));
        assertThrows(UnsupportedOperationException.class, () -> b.synonyms().put("a", "b"));
        assertEquals(b.withSynonym("no way", "no"),
                a.withSynonyms(Map.of("no way", "no", "yes", "self")));
    }

    @Test
    void conflictingOrChainedSynonymsAreRejected() {
        ValueNormalizer n = ValueNormalizer.standard().withSynonym("egg", "eggs");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> n.withSynonym("egg", "drums"));
        assertTrue(e.getMessage().contains("'egg' already maps to 'eggs'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> n.withSynonym("eg", "egg"));
        assertTrue(e.getMessage().contains("chain"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> n.withSynonym("eggs", "ovum"));
        assertTrue(e.getMessage().contains("chain"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> n.withSynonym("  ", "no"));
        assertThrows(NullPointerException.class, () -> n.withSynonym(null, "no"));
    }
}

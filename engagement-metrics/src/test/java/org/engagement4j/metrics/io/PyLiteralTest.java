package org.engagement4j.metrics.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Python literal subset, with the answers {@code ast.literal_eval} gives. */
class PyLiteralTest {

    static PyLiteral.Tuple tuple(Object... items) {
        return new PyLiteral.Tuple(Arrays.asList(items));
    }

    static BigInteger i(long v) {
        return BigInteger.valueOf(v);
    }

    @Test
    void tuplesFollowPythonsCommaRule() {
        assertEquals(tuple(), PyLiteral.parse("()"));
        assertEquals(tuple(i(3)), PyLiteral.parse("(3,)"));
        assertEquals(i(3), PyLiteral.parse("(3)"));
        assertEquals(tuple(i(2), i(3)), PyLiteral.parse("( 2 ,3 , )"));
        assertEquals(tuple(tuple(i(1)), List.of()), PyLiteral.parse("((1,), [])"));
    }

    @Test
    void scalars() {
        assertEquals("a'b\"c\\d\n\u00e9", PyLiteral.parse("'a\\'b\"c\\\\d\\n\\xe9'"));
        assertEquals("it's", PyLiteral.parse("\"it's\""));
        assertEquals("\\q", PyLiteral.parse("'\\q'"));
        assertEquals(Boolean.TRUE, PyLiteral.parse("True"));
        assertEquals(Boolean.FALSE, PyLiteral.parse(" False\n"));
        assertNull(PyLiteral.parse("None"));
        assertEquals(i(-7), PyLiteral.parse("-7"));
        assertEquals(i(7), PyLiteral.parse("+7L"));
        assertEquals(i(0), PyLiteral.parse("000"));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                PyLiteral.parse("123456789012345678901234567890"));
    }

    @Test
    void dictsKeepTheirOrder() {
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("shape", tuple(i(1)));
        expected.put("descr", "<f4");
        expected.put(i(5), List.of(Boolean.TRUE));
        Object parsed = PyLiteral.parse("{'shape': (1,), \"descr\": '<f4', 5: [True]}");
        assertEquals(expected, parsed);
        assertEquals("{'shape': (1,), 'descr': '<f4', 5: [True]}", PyLiteral.repr(parsed));
        assertEquals(Map.of(), PyLiteral.parse("{}"));
    }

    @Test
    void syntaxErrorsSayWhereAndWhat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyLiteral.parse("{'a': 1,, }"));
        assertEquals("unexpected character at character 8 (found ',')", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("{'a': nan}"));
        assertEquals("unknown name 'nan' (only True, False and None are literals) at character 6"
                + " (found 'n')", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("(1.5,)"));
        assertEquals("only integers are supported here at character 2 (found '.')",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("'abc"));
        assertEquals("unterminated string at character 4 (found end of text)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("{[1]: 2}"));
        assertEquals("dict key is not hashable at character 1 (found '[')", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("(1, 2"));
        assertEquals("expected ',' or ')' at character 5 (found end of text)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("(1, "));
        assertEquals("unexpected end of text, expected a value at character 4 (found end of"
                + " text)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("07"));
        assertEquals("leading zeros are not allowed in a Python integer at character 0 (found"
                + " '0')", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("1 2"));
        assertEquals("unexpected text after the literal at character 2 (found '2')",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("\u0001"));
        assertEquals("unexpected character at character 0 (found '\\u0001')", e.getMessage());
    }

    @Test
    void nestingIsBounded() {
        String ok = "[".repeat(PyLiteral.MAX_DEPTH + 1) + "]".repeat(PyLiteral.MAX_DEPTH + 1);
        PyLiteral.parse(ok);
        String deep = "[".repeat(PyLiteral.MAX_DEPTH + 2) + "]".repeat(PyLiteral.MAX_DEPTH + 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyLiteral.parse(deep));
        assertEquals("literal nested more than 32 levels deep at character 33 (found '[')",
                e.getMessage());
    }
}

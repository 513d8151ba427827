package org.engagement4j.metrics.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parser for the small subset of Python literal syntax an {@code .npy} header uses: dicts, tuples,
 * lists, strings, integers (with the Python 2 {@code L} suffix old files carry), {@code True},
 * {@code False} and {@code None}.
 *
 * <p>NumPy reads the header with {@code ast.literal_eval}; this parser accepts what that accepts for
 * these types (trailing commas, either quote, any whitespace between tokens) and evaluates nothing.
 * Python values map to {@link Map} (insertion order), {@link Tuple}, {@link List}, {@link String},
 * {@link BigInteger}, {@link Boolean} and {@code null}. Nesting is limited to
 * {@value #MAX_DEPTH} levels so a hostile header cannot exhaust the stack.
 */
final class PyLiteral {

    static final int MAX_DEPTH = 32;

    /** A Python tuple, kept distinct from a list because NumPy requires the shape to be a tuple. */
    record Tuple(List<Object> items) {
        Tuple {
            items = Collections.unmodifiableList(new ArrayList<>(items));
        }
    }

    private final String text;
    private int pos;
    private int commas;

    private PyLiteral(String text) {
        this.text = text;
    }

    /**
     * Parses one literal that spans all of {@code text} apart from surrounding whitespace.
     *
     * @throws IllegalArgumentException describing the first syntax error and its character offset
     */
    static Object parse(String text) {
        PyLiteral p = new PyLiteral(text);
        Object value = p.value(0);
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the literal");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("literal nested more than " + MAX_DEPTH + " levels deep");
        }
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return dict(depth);
            case '(':
                return parenthesis(depth);
            case '[':
                return sequence(']', depth);
            case '\'':
            case '"':
                return string();
            default:
                if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
                    return integer();
                }
                if (Character.isLetter(c)) {
                    return name();
                }
                throw error("unexpected character");
        }
    }

    private Map<Object, Object> dict(int depth) {
        pos++;
        Map<Object, Object> map = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek('}')) {
                pos++;
                return map;
            }
            int keyAt = pos;
            Object key = value(depth + 1);
            if (key instanceof Map || key instanceof List) {
                pos = keyAt;
                throw error("dict key is not hashable");
            }
            skipSpace();
            expect(':');
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate dict key " + repr(key));
            }
            map.put(key, v);
            skipSpace();
            if (peek(',')) {
                pos++;
            } else if (!peek('}')) {
                throw error("expected ',' or '}' in dict");
            }
        }
    }

    private Object parenthesis(int depth) {
        List<Object> items = sequence(')', depth);
        // "(3)" is the integer 3 in Python, not a tuple; "()" and "(3,)" are tuples.
        if (items.size() == 1 && commas == 0) {
            return items.get(0);
        }
        return new Tuple(items);
    }

    /** Parses items up to {@code close}; leaves the number of commas seen in {@link #commas}. */
    private List<Object> sequence(char close, int depth) {
        pos++;
        List<Object> items = new ArrayList<>();
        int seen = 0;
        while (true) {
            skipSpace();
            if (peek(close)) {
                pos++;
                commas = seen;
                return items;
            }
            items.add(value(depth + 1));
            skipSpace();
            if (peek(',')) {
                pos++;
                seen++;
            } else if (!peek(close)) {
                throw error("expected ',' or '" + close + "'");
            }
        }
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\n') {
                pos--;
                throw error("newline inside a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '\\':
                case '\'':
                case '"':
                    sb.append(e);
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 'x':
                    sb.append((char) hex(2));
                    break;
                case 'u':
                    sb.append((char) hex(4));
                    break;
                default:
                    // Python keeps unknown escapes verbatim, backslash included.
                    sb.append('\\').append(e);
            }
        }
        throw error("unterminated string");
    }

    private int hex(int digits) {
        if (pos + digits > text.length()) {
            throw error("truncated \\x or \\u escape");
        }
        try {
            int v = Integer.parseInt(text.substring(pos, pos + digits), 16);
            pos += digits;
            return v;
        } catch (NumberFormatException e) {
            throw error("bad \\x or \\u escape");
        }
    }

    private BigInteger integer() {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
            skipSpace();
        }
        int digits = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == digits) {
            throw error("expected digits");
        }
        String number = text.substring(digits, pos);
        if (number.length() > 1 && number.charAt(0) == '0' && !number.chars().allMatch(ch -> ch == '0')) {
            pos = digits;
            throw error("leading zeros are not allowed in a Python integer");
        }
        if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
            pos++;
        }
        if (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
                || text.charAt(pos) == '.' || text.charAt(pos) == '_')) {
            throw error("only integers are supported here");
        }
        BigInteger v = new BigInteger(number);
        return text.charAt(start) == '-' ? v.negate() : v;
    }

    private Object name() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
                || text.charAt(pos) == '_')) {
            pos++;
        }
        String name = text.substring(start, pos);
        switch (name) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return null;
            default:
                pos = start;
                throw error("unknown name '" + name + "' (only True, False and None are literals)");
        }
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return;
            }
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String what) {
        String found = pos < text.length()
                ? "'" + escape(text.charAt(pos)) + "'" : "end of text";
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "%s at character %d (found %s)", what, pos, found));
    }

    private static String escape(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return String.valueOf(c);
        }
        return String.format(Locale.ROOT, "\\u%04x", (int) c);
    }

    /** Python's {@code repr} of a parsed value, for error messages. */
    static String repr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean) {
            return ((Boolean) v) ? "True" : "False";
        }
        if (v instanceof String) {
            StringBuilder sb = new StringBuilder("'");
            for (char c : ((String) v).toCharArray()) {
                if (c == '\'' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c >= 0x20 && c < 0x7f) {
                    sb.append(c);
                } else {
                    sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c & 0xff));
                }
            }
            return sb.append('\'').toString();
        }
        if (v instanceof Tuple) {
            List<Object> items = ((Tuple) v).items();
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(repr(items.get(i)));
            }
            return sb.append(items.size() == 1 ? ",)" : ")").toString();
        }
        if (v instanceof List) {
            StringBuilder sb = new StringBuilder("[");
            List<?> items = (List<?>) v;
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(repr(items.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                sb.append(first ? "" : ", ").append(repr(e.getKey())).append(": ")
                        .append(repr(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        return v.toString();
    }
}

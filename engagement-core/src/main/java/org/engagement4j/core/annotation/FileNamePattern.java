package org.engagement4j.core.annotation;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How annotation file names tell the session and the coder: a regular expression matched against
 * the whole file name (not the path), with the named groups {@code session} and {@code coder}
 * (required) and {@code date} (optional, {@code yyyyMMdd}).
 *
 * <p>The {@linkplain #reference() reference convention} is
 * {@code <session>_<coder>_<YYYYMMDD>.eaf} (REFERENCE.md §1), for example
 * {@code fp19_ew_20220214.eaf}: session and coder are free of underscores.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class FileNamePattern {

    /** The regular expression of the reference convention. */
    public static final String REFERENCE_REGEX =
            "(?<session>[^_]+)_(?<coder>[^_]+)_(?<date>\\d{8})\\.eaf";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd",
            Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

    private static final FileNamePattern REFERENCE = of(REFERENCE_REGEX);

    private final Pattern pattern;
    private final boolean hasDate;

    private FileNamePattern(Pattern pattern, boolean hasDate) {
        this.pattern = pattern;
        this.hasDate = hasDate;
    }

    /** @return the reference convention {@code <session>_<coder>_<YYYYMMDD>.eaf} */
    public static FileNamePattern reference() {
        return REFERENCE;
    }

    /**
     * @param regex a regular expression with named groups {@code session} and {@code coder}, and
     *     optionally {@code date} (eight digits, {@code yyyyMMdd}); it must match a whole name
     * @return the pattern
     * @throws IllegalArgumentException if the expression does not compile or lacks a required
     *     group
     */
    public static FileNamePattern of(String regex) {
        Objects.requireNonNull(regex, "regex");
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "file name pattern '%s' is not a valid regular expression: %s", regex,
                    e.getDescription()), e);
        }
        for (String group : new String[] {"session", "coder"}) {
            if (!hasGroup(p, group)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "file name pattern '%s' has no named group (?<%s>...)", regex, group));
            }
        }
        return new FileNamePattern(p, hasGroup(p, "date"));
    }

    private static boolean hasGroup(Pattern p, String name) {
        // Java 17 has no Pattern.namedGroups(); a back reference compiles only when the group
        // exists. The newline ends a trailing comment under the (?x) flag.
        try {
            Pattern.compile("(?:" + p.pattern() + "\n)|\\k<" + name + ">");
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** @return the regular expression */
    public String regex() {
        return pattern.pattern();
    }

    /**
     * @param fileName a file name without directories
     * @return the session, coder and date it names, or empty if the name does not match
     * @throws IllegalArgumentException if the name matches but a group is empty, or the date is not
     *     a valid {@code yyyyMMdd} calendar date (the message names the file)
     */
    public Optional<FileNameMatch> match(String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        Matcher m = pattern.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        String session = m.group("session");
        String coder = m.group("coder");
        if (session == null || session.isEmpty() || coder == null || coder.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the file name gives an empty session or coder (pattern '%s')", fileName,
                    pattern.pattern()));
        }
        Optional<LocalDate> date = Optional.empty();
        String d = hasDate ? m.group("date") : null;
        if (d != null && !d.isEmpty()) {
            try {
                date = Optional.of(LocalDate.parse(d, DATE));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: '%s' is not a valid date (expected yyyyMMdd)", fileName, d), e);
            }
        }
        return Optional.of(new FileNameMatch(fileName, session, coder, date));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileNamePattern
                && pattern.pattern().equals(((FileNamePattern) o).pattern.pattern());
    }

    @Override
    public int hashCode() {
        return pattern.pattern().hashCode();
    }

    @Override
    public String toString() {
        return "FileNamePattern[" + pattern.pattern() + "]";
    }
}

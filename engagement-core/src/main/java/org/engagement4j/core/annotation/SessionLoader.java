package org.engagement4j.core.annotation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.engagement4j.core.elan.ElanDocument;
import org.engagement4j.core.elan.ElanReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a folder of per-session, per-coder annotation files into {@link CodedSession}s: the first
 * step of the pipeline (REFERENCE.md §1: one ELAN file per session and coder, named
 * {@code <session>_<coder>_<YYYYMMDD>.eaf}).
 *
 * <p>Only the folder itself is read, not sub-folders. Hidden files (name starting with a dot) are
 * passed over. Every other regular file whose name matches the {@link FileNamePattern} is read
 * with the {@link ElanReader} and mapped with the {@link RoleMapping}; the coder's name comes from
 * the file name.
 *
 * <p><b>Files that do not match the pattern</b> are not read, and never skipped silently: they are
 * listed in {@link SessionFolder#unmatchedFiles()}; one ending in {@code .eaf} is also logged as a
 * warning, since it is probably a misnamed annotation file (other files, such as videos or ELAN's
 * {@code .pfsx} preference files, are logged at debug level). With
 * {@link #withStrictFileNames(boolean) strict file names} an unmatched {@code .eaf} file is an
 * error instead.
 *
 * <p><b>Errors</b> (all unchecked, all naming the file): a folder that is not a directory or holds
 * no matching file; two files for the same session and coder; any {@code ElanFormatException} of
 * the reader and {@link RoleMappingException} of the mapping. I/O failures are thrown as
 * {@link IOException}.
 *
 * <p>Instances are immutable and thread-safe (given a thread-safe reader).
 *
 * @since 0.1.0
 */
public final class SessionLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLoader.class);

    private final FileNamePattern pattern;
    private final RoleMapping mapping;
    private final ElanReader reader;
    private final boolean strictFileNames;

    private SessionLoader(FileNamePattern pattern, RoleMapping mapping, ElanReader reader,
            boolean strictFileNames) {
        this.pattern = pattern;
        this.mapping = mapping;
        this.reader = reader;
        this.strictFileNames = strictFileNames;
    }

    /**
     * @return a loader with the reference file name pattern and role mapping, a default
     *     {@link ElanReader}, and lenient file names (unmatched files are listed and logged)
     */
    public static SessionLoader create() {
        return new SessionLoader(FileNamePattern.reference(), RoleMapping.reference(),
                ElanReader.create(), false);
    }

    /**
     * @param filePattern how file names tell session and coder
     * @return a new loader with that pattern
     */
    public SessionLoader withPattern(FileNamePattern filePattern) {
        return new SessionLoader(Objects.requireNonNull(filePattern, "pattern"), mapping, reader,
                strictFileNames);
    }

    /**
     * @param roleMapping how tiers and values map to tasks, variables and masks
     * @return a new loader with that mapping
     */
    public SessionLoader withRoleMapping(RoleMapping roleMapping) {
        return new SessionLoader(pattern, Objects.requireNonNull(roleMapping, "roleMapping"),
                reader, strictFileNames);
    }

    /**
     * @param elanReader the reader of {@code .eaf} files
     * @return a new loader with that reader
     */
    public SessionLoader withReader(ElanReader elanReader) {
        return new SessionLoader(pattern, mapping, Objects.requireNonNull(elanReader, "reader"),
                strictFileNames);
    }

    /**
     * @param strict whether an {@code .eaf} file that does not match the pattern is an error
     *     (true) or is listed and logged as a warning (false, the default)
     * @return a new loader with that policy
     */
    public SessionLoader withStrictFileNames(boolean strict) {
        return new SessionLoader(pattern, mapping, reader, strict);
    }

    /** @return the file name pattern */
    public FileNamePattern pattern() {
        return pattern;
    }

    /** @return the role mapping */
    public RoleMapping roleMapping() {
        return mapping;
    }

    /** @return whether unmatched {@code .eaf} files are errors */
    public boolean strictFileNames() {
        return strictFileNames;
    }

    /**
     * Reads every matching file of a folder.
     *
     * @param folder a directory of annotation files
     * @return the sessions (sorted by session id), the files read and the files not read
     * @throws IOException if the folder or a file cannot be read
     * @throws IllegalArgumentException naming the folder or file: not a directory, no matching
     *     file, an unmatched {@code .eaf} file under strict file names, a date in a name that is
     *     not a calendar date, two files for one session and coder, a malformed file
     *     ({@code ElanFormatException}) or a role-mapping fault ({@link RoleMappingException})
     */
    public SessionFolder load(Path folder) throws IOException {
        Objects.requireNonNull(folder, "folder");
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: not a directory (expected a folder of annotation files)", folder));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = new ArrayList<>(s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList());
        }
        List<Path> matched = new ArrayList<>();
        List<FileNameMatch> names = new ArrayList<>();
        List<Path> unmatched = new ArrayList<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            Optional<FileNameMatch> m = pattern.match(name);
            if (m.isPresent()) {
                matched.add(p);
                names.add(m.get());
            } else {
                unmatched.add(p);
                reportUnmatched(p, name);
            }
        }
        if (matched.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: no file matches the annotation file name pattern '%s' (%d other"
                            + " file(s)%s)", folder, pattern.regex(), unmatched.size(),
                    unmatched.isEmpty() ? "" : ", e.g. " + unmatched.get(0).getFileName()));
        }
        Map<String, Map<String, CoderAnnotations>> bySession = new TreeMap<>();
        Map<String, Path> seen = new TreeMap<>();
        for (int i = 0; i < matched.size(); i++) {
            Path p = matched.get(i);
            FileNameMatch n = names.get(i);
            Path earlier = seen.putIfAbsent(n.session() + '\u0000' + n.coder(), p);
            if (earlier != null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: session %s is coded by %s in two files (also %s); keep one file per"
                                + " session and coder", p, n.session(), n.coder(),
                        earlier.getFileName()));
            }
            ElanDocument doc = reader.read(p);
            CoderAnnotations coder = mapping.map(doc, n.coder());
            bySession.computeIfAbsent(n.session(), k -> new TreeMap<>()).put(n.coder(), coder);
        }
        List<CodedSession> sessions = new ArrayList<>(bySession.size());
        for (Map.Entry<String, Map<String, CoderAnnotations>> e : bySession.entrySet()) {
            sessions.add(new CodedSession(e.getKey(), e.getValue()));
        }
        LOG.debug("{}: {} session(s) from {} file(s), {} unmatched file(s)", folder,
                sessions.size(), matched.size(), unmatched.size());
        return new SessionFolder(folder, sessions, matched, unmatched);
    }

    private void reportUnmatched(Path p, String name) {
        boolean eaf = name.toLowerCase(Locale.ROOT).endsWith(".eaf");
        if (eaf && strictFileNames) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: annotation file name does not match the pattern '%s'", p,
                    pattern.regex()));
        }
        if (eaf) {
            LOG.warn("{}: annotation file name does not match the pattern '{}'; file not read", p,
                    pattern.regex());
        } else {
            LOG.debug("{}: not an annotation file name; not read", p);
        }
    }
}

package org.engagement4j.core.elan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.core.annotation.CoderAnnotations;

/**
 * One synthetic session made by {@link SyntheticCoding}: the hidden ground truth, and for each
 * coder the ELAN document that coder "wrote", the date in its file name, and the annotations
 * the role mapping should recover from that document.
 *
 * @param session the session id
 * @param truth the hidden ground truth (coder name {@value SyntheticCoding#TRUTH}): task spans,
 *     engaged time per task and variable, masked ({@code ignore}) time
 * @param documents each coder's document, in coder order
 * @param dates each coder's coding date (the {@code <YYYYMMDD>} of the file name)
 * @param expected what each coder's document says, as annotations: the coder's task spans,
 *     the union of the coder's engaged episodes per task and variable, the coder's
 *     {@code ignore} spans as the mask
 * @since 0.1.0
 */
public record SyntheticSession(String session, CoderAnnotations truth,
        Map<String, ElanDocument> documents, Map<String, LocalDate> dates,
        Map<String, CoderAnnotations> expected) {

    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.ofPattern("yyyyMMdd",
            Locale.ROOT);

    /**
     * @throws IllegalArgumentException if the coder names of the three maps differ
     */
    public SyntheticSession {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(truth, "truth");
        documents = Collections.unmodifiableMap(new LinkedHashMap<>(documents));
        dates = Collections.unmodifiableMap(new LinkedHashMap<>(dates));
        expected = Collections.unmodifiableMap(new LinkedHashMap<>(expected));
        if (!documents.keySet().equals(dates.keySet())
                || !documents.keySet().equals(expected.keySet())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session %s: coders of documents %s, dates %s and expected %s differ",
                    session, documents.keySet(), dates.keySet(), expected.keySet()));
        }
    }

    /** @return the coder names in order */
    public List<String> coders() {
        return new ArrayList<>(documents.keySet());
    }

    /**
     * @param coder a coder of this session
     * @return {@code <session>_<coder>_<YYYYMMDD>.eaf}, the reference's naming convention
     * @throws IllegalArgumentException if the coder did not code this session
     */
    public String fileName(String coder) {
        LocalDate d = dates.get(coder);
        if (d == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session %s has no coder %s; expected one of %s", session, coder,
                    dates.keySet()));
        }
        return session + "_" + coder + "_" + d.format(YYYYMMDD) + ".eaf";
    }

    /**
     * Writes every coder's document as {@link #fileName(String)} into a folder (created if
     * missing), each atomically.
     *
     * @param folder the target folder
     * @return the files written, in coder order
     * @throws IOException if writing fails
     */
    public List<Path> writeTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        List<Path> files = new ArrayList<>(documents.size());
        for (Map.Entry<String, ElanDocument> e : documents.entrySet()) {
            Path f = folder.resolve(fileName(e.getKey()));
            ElanWriter.write(f, e.getValue());
            files.add(f);
        }
        return files;
    }
}

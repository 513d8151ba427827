package org.engagement4j.core.annotation;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The coded sessions of one folder, as read by {@link SessionLoader}, and the files it did not
 * read.
 *
 * @param folder the folder read
 * @param sessions the sessions, sorted by session id (string order)
 * @param annotationFiles the files read, in file-name order
 * @param unmatchedFiles regular, non-hidden files whose name did not match the file name pattern
 *     and were therefore not read, in file-name order; listed so that a misnamed annotation file
 *     is never skipped unnoticed
 * @since 0.1.0
 */
public record SessionFolder(Path folder, List<CodedSession> sessions, List<Path> annotationFiles,
        List<Path> unmatchedFiles) {

    /**
     * Validates and copies the components.
     *
     * @param folder the folder read
     * @param sessions the sessions, sorted by session id (string order)
     * @param annotationFiles the files read, in file-name order
     * @param unmatchedFiles regular, non-hidden files whose name did not match the file name
     *     pattern and were therefore not read, in file-name order; listed so that a misnamed
     *     annotation file is never skipped unnoticed
     * @throws NullPointerException if a component is null
     */
    public SessionFolder {
        Objects.requireNonNull(folder, "folder");
        sessions = List.copyOf(sessions);
        annotationFiles = List.copyOf(annotationFiles);
        unmatchedFiles = List.copyOf(unmatchedFiles);
    }

    /**
     * @param session a session id
     * @return that session
     * @throws IllegalArgumentException naming the known sessions if there is no such session
     */
    public CodedSession session(String session) {
        Objects.requireNonNull(session, "session");
        for (CodedSession s : sessions) {
            if (s.session().equals(session)) {
                return s;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s: no session %s; sessions: %s", folder, session,
                sessions.stream().map(CodedSession::session).toList()));
    }
}

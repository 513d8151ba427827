package org.engagement4j.core.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.engagement4j.core.annotation.CodedSession;

/** Input checks shared by the statistics of this package. */
final class Inputs {

    private Inputs() {
    }

    /** A copy of the sessions after checking there is at least one and the ids are distinct. */
    static List<CodedSession> sessions(Collection<CodedSession> sessions) {
        Objects.requireNonNull(sessions, "sessions");
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("sessions: at least one coded session is required");
        }
        Set<String> ids = new HashSet<>();
        List<CodedSession> list = new ArrayList<>(sessions.size());
        for (CodedSession s : sessions) {
            Objects.requireNonNull(s, "sessions: a session is null");
            if (!ids.add(s.session())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "sessions: session %s appears twice", s.session()));
            }
            list.add(s);
        }
        return list;
    }
}

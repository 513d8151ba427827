package org.engagement4j.examples.cli;

import org.engagement4j.core.Engagement4j;
import picocli.CommandLine;

/** Prints the library version and the Java runtime for {@code --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"engagement4j " + Engagement4j.VERSION,
            "Java " + System.getProperty("java.version")};
    }
}

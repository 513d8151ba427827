package org.engagement4j.core;

/**
 * Library-wide facts: the version of engagement4j that is running, recorded in the provenance of
 * every result.
 *
 * @since 0.1.0
 */
public final class Engagement4j {

    /** The library version, from the jar manifest; {@code "dev"} when run from classes. */
    public static final String VERSION = readVersion();

    private Engagement4j() {
    }

    private static String readVersion() {
        String v = Engagement4j.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}

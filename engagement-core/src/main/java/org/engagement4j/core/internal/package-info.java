/**
 * Helpers shared by engagement4j's own modules; <strong>not part of the API</strong>. The
 * package is exported only to {@code org.engagement4j.xai} (and is visible to class-path code
 * such as the examples), and may change or disappear in any release.
 *
 * @since 0.1.0
 */
package org.engagement4j.core.internal;

/**
 * engagement-core entry points. The packages for annotations, video, sampling, the model, the
 * backward graph and training arrive with their issues; see the README's architecture section.
 */
package org.engagement4j.core;

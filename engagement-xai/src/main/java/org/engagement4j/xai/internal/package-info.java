/**
 * Helpers shared by the xai packages; not exported by the module and not part of the API.
 */
package org.engagement4j.xai.internal;

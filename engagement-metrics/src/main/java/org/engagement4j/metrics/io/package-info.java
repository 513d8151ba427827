/**
 * NumPy {@code .npy} reading and writing (format versions 1.0, 2.0 and 3.0 headers; float32,
 * float64 and uint8; C order), the interchange format of attention maps.
 */
package org.engagement4j.metrics.io;

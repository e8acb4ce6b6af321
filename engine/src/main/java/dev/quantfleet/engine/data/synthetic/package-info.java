/**
 * Synthetic calibration inputs drawn in memory: {@link dev.quantfleet.engine.data.synthetic.TextLineRenderer}
 * draws text lines with Java2D in the input format of PaddleOCR's text line recognizer and
 * orientation classifier.
 */
package dev.quantfleet.engine.data.synthetic;

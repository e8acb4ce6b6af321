/**
 * Synthetic calibration and evaluation inputs made on this machine:
 * {@link dev.quantfleet.engine.data.synthetic.TextLineRenderer} draws text lines with Java2D in
 * the input format of PaddleOCR's text line recognizer and orientation classifier;
 * {@link dev.quantfleet.engine.data.synthetic.SpeechSynthesizer} speaks text with espeak-ng and
 * sox as 16 kHz audio, and {@link dev.quantfleet.engine.data.synthetic.SpeechClipMixer} places it
 * in a fixed-length, noisy clip.
 */
package dev.quantfleet.engine.data.synthetic;

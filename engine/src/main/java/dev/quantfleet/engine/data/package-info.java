/**
 * Calibration and evaluation data: {@link dev.quantfleet.engine.data.SampleSources} opens NumPy
 * {@code .npy}/{@code .npz} files, ONNX test-data folders and tokenized text as streaming
 * {@link dev.quantfleet.engine.data.SampleSource}s, and
 * {@link dev.quantfleet.engine.data.DataValidator} rejects samples that do not fit the model's
 * declared inputs.
 */
package dev.quantfleet.engine.data;

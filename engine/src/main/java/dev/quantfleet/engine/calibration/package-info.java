/**
 * Calibration: {@link dev.quantfleet.engine.calibration.Calibrator} runs samples through ONNX
 * Runtime and keeps bounded-memory {@link dev.quantfleet.engine.calibration.TensorStatistics} per
 * float tensor, and {@link dev.quantfleet.engine.calibration.RangeEstimator} turns them into
 * quantization ranges with the MinMax, Percentile, Entropy or MinMSE method.
 */
package dev.quantfleet.engine.calibration;

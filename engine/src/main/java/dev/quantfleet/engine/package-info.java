/**
 * The Quantfleet engine: ONNX model IO and graph editing, calibration, quantization,
 * evaluation and search, in plain Java over ONNX Runtime. Nothing here imports Kafka,
 * Quarkus or S3 code, so that the fleet services and the command line share it unchanged.
 */
package dev.quantfleet.engine;

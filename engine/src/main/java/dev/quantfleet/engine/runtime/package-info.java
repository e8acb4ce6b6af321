/**
 * ONNX Runtime sessions with deterministic settings, and the provenance that every measured
 * number is stored with.
 */
package dev.quantfleet.engine.runtime;

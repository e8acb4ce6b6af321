/** Metrics that compare model outputs: string edit distance, vector similarity and the separation of detection scores. */
package dev.quantfleet.engine.metrics;

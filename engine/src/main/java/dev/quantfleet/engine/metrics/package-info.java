/** Metrics that compare model outputs: string edit distance and vector similarity. */
package dev.quantfleet.engine.metrics;

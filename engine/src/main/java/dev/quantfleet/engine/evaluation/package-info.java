/**
 * Scoring models against the float model: fidelity metrics on reference outputs, task metrics
 * from labels, and the cost figures (size, integer share of compute, measured latency) that a
 * search minimises.
 */
package dev.quantfleet.engine.evaluation;

package dev.quantfleet.engine.report;

/** The purpose of a candidate's evaluation. */
public enum CandidateKind {
    /** A proposed configuration that may become the winner. */
    EVALUATE,
    /** A probe that quantizes or keeps one node in float to measure that node's sensitivity. */
    SENSITIVITY
}

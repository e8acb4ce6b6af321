package dev.quantfleet.engine.report;

/** Why a candidate was evaluated. */
public enum CandidateKind {
    /** A proposed configuration that may become the winner. */
    EVALUATE,
    /** A probe that quantizes or keeps one node in float to measure that node's sensitivity. */
    SENSITIVITY
}

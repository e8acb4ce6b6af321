package dev.quantfleet.common.messages;

/** The final status of a task when its round closed. */
public enum RoundTaskStatus {
    /** The task's evaluation is OK. */
    OK,
    /** Every attempt failed; the last reason is in the task's result or dead letter. */
    FAILED,
    /** ONNX Runtime cannot load or run the candidate on the pool's target. */
    UNSUPPORTED,
    /** No result arrived before the deadline closed the round. */
    TIMED_OUT
}

package dev.quantfleet.common.messages;

/** Who announced a model version. */
public enum ModelEventSource {
    /** A bucket notification of the object store, converted by the model watcher. */
    S3_EVENT,
    /** A service or user that published the event directly. */
    PRODUCER
}

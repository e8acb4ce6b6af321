package dev.quantfleet.common.messages;

/**
 * A record sent between fleet services. Every message carries the schema version it was
 * written with, so that {@link WireJson} can reject a message newer than the code reading it.
 */
public interface WireMessage {

    /** The schema version that this code writes and the newest one it reads. */
    int CURRENT_SCHEMA_VERSION = 1;

    /** The schema version the message was written with; from 1 to {@link #CURRENT_SCHEMA_VERSION}. */
    int schemaVersion();
}

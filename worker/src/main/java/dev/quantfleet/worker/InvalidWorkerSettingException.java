package dev.quantfleet.worker;

/** A worker setting that the worker cannot start with; the message names the setting, its value and the fix. */
public final class InvalidWorkerSettingException extends IllegalArgumentException {

    public InvalidWorkerSettingException(String message) {
        super(message);
    }

    public InvalidWorkerSettingException(String message, Throwable cause) {
        super(message, cause);
    }
}

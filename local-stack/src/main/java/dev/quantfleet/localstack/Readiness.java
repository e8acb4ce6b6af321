package dev.quantfleet.localstack;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling of a readiness probe. */
final class Readiness {

    private static final long POLL_INTERVAL_MS = 100;

    private Readiness() {
    }

    /**
     * Calls {@code probe} every 100 ms until it returns true or {@code timeout} has passed.
     *
     * @return true if the probe succeeded within the timeout
     * @throws LocalStackException if the thread is interrupted while waiting
     */
    static boolean poll(BooleanSupplier probe, Duration timeout) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (probe.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("Interrupted while waiting for a local server to become ready", e);
            }
        }
    }
}

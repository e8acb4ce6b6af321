package dev.quantfleet.fleet;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits. Each wait polls a condition until it is true or its timeout passes, and then fails naming what it waited for. */
final class Poll {

    private static final long INTERVAL_MS = 50;

    private Poll() {
    }

    /**
     * Waits until {@code condition} is true, or throws an AssertionError naming {@code description}
     * after {@code timeout}.
     */
    static void until(String description, Duration timeout, BooleanSupplier condition) {
        value(description, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * Returns the first present value of {@code probe}, or throws an AssertionError naming
     * {@code description} after {@code timeout}.
     */
    static <T> T value(String description, Duration timeout, Supplier<Optional<T>> probe) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + description);
            }
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + description, e);
            }
        }
    }
}

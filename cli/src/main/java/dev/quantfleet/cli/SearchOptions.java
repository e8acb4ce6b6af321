package dev.quantfleet.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the {@code quantize} option values that are not plain numbers or names. */
final class SearchOptions {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private SearchOptions() {
    }

    /** A maximum drop: {@code value} in percent when {@code relative}, in the metric's units otherwise. */
    record MaxDrop(double value, boolean relative) {
    }

    /**
     * Reads {@code 0.005} (absolute) or {@code 1%} (relative).
     *
     * @throws InvalidInputException naming the value and the accepted forms
     */
    static MaxDrop maxDrop(String text) {
        String trimmed = text.trim();
        boolean relative = trimmed.endsWith("%");
        String number = relative ? trimmed.substring(0, trimmed.length() - 1).trim() : trimmed;
        try {
            double value = Double.parseDouble(number);
            if (value >= 0 && !Double.isInfinite(value)) {
                return new MaxDrop(value, relative);
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted forms.
        }
        throw new InvalidInputException("Invalid value for --max-drop: '" + text + "'; give a number of 0 or more, "
                + "absolute in the metric's units (0.005) or relative to the float model with a % sign (1%)");
    }

    /**
     * Reads {@code 90s}, {@code 10m}, {@code 2h}, {@code 500ms} or an ISO-8601 duration such as
     * {@code PT10M}.
     *
     * @throws InvalidInputException naming the value and the accepted forms
     */
    static Duration deadline(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT_DURATION.matcher(trimmed);
        Duration duration = null;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } else {
            try {
                duration = Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                // Reported below with the accepted forms.
            }
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new InvalidInputException("Invalid value for --deadline: '" + text + "'; give a positive duration "
                    + "such as 90s, 10m, 2h, 500ms or PT10M");
        }
        return duration;
    }
}

package dev.quantfleet.engine.report;

import java.util.Locale;

/** Escaping and number formatting for the HTML and SVG of the report. */
final class Html {

    private Html() {
    }

    /**
     * Escapes {@code &}, {@code <}, {@code >}, {@code "} and {@code '}, so the result is safe as
     * element text and as a quoted attribute value; null becomes the empty string.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Formats a metric value with 6 significant digits; NaN and infinities by name. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        String formatted = String.format(Locale.ROOT, "%.6g", value);
        return formatted.contains("e") ? formatted : stripZeros(formatted);
    }

    /** Formats a signed difference, e.g. {@code +0.0123} or {@code -2}. */
    static String signed(double value) {
        return value > 0 ? "+" + number(value) : number(value);
    }

    /** Formats a number for an SVG coordinate: two decimals, no exponent. */
    static String coordinate(double value) {
        return stripZeros(String.format(Locale.ROOT, "%.2f", value));
    }

    /** Formats a byte count in decimal units, e.g. {@code 23.4 MB (23400000 bytes)}. */
    static String bytes(long bytes) {
        return decimalBytes(bytes) + " (" + bytes + " bytes)";
    }

    static String decimalBytes(double bytes) {
        if (bytes >= 1e9) {
            return number3(bytes / 1e9) + " GB";
        }
        if (bytes >= 1e6) {
            return number3(bytes / 1e6) + " MB";
        }
        if (bytes >= 1e3) {
            return number3(bytes / 1e3) + " kB";
        }
        return number3(bytes) + " B";
    }

    /** Formats a ratio with 3 significant digits, e.g. {@code 0.501}. */
    static String ratio(double value) {
        return number3(value);
    }

    /** Formats a fraction in [0, 1] as a percentage with one decimal. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    private static String number3(double value) {
        return stripZeros(String.format(Locale.ROOT, "%.3g", value));
    }

    private static String stripZeros(String formatted) {
        if (!formatted.contains(".")) {
            return formatted;
        }
        String stripped = formatted.replaceAll("0+$", "");
        return stripped.endsWith(".") ? stripped.substring(0, stripped.length() - 1) : stripped;
    }
}

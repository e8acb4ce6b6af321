package dev.quantfleet.coordinator.search;

import java.util.regex.Pattern;

/**
 * Removes the folders of absolute paths from messages that workers send, e.g. a failed task's
 * reason. A worker's task folder means nothing to the user, while the file name does: workers
 * store the data under the file name it was submitted with.
 */
final class WorkerPaths {

    /**
     * An absolute path with at least one folder: a {@code /} that does not follow a word
     * character, a dot, a colon or another {@code /} (so URLs and relative paths stay), then
     * segments without blanks, quotes, brackets, commas or semicolons.
     */
    private static final Pattern ABSOLUTE_PATH =
            Pattern.compile("(?<![\\w.:/])/(?:[^\\s,;()\\[\\]'\"/]+/)+([^\\s,;()\\[\\]'\"/]+)");

    private WorkerPaths() {
    }

    /** Returns {@code message} with every absolute path replaced by its file name; null stays null. */
    static String withFileNamesOnly(String message) {
        return message == null ? null : ABSOLUTE_PATH.matcher(message).replaceAll("$1");
    }
}

package dev.quantfleet.deploychecks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JSON examples of docs/wire-format.md, which WireFormatDocTest in the common module keeps valid. */
final class WireExamples {

    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: (\\w+) -->\\n```json\\n(.*?)\\n```",
            Pattern.DOTALL);

    private WireExamples() {
    }

    /** Returns the first example of {@code type}, e.g. {@code TaskResult}. */
    static String first(String type) {
        Matcher matcher = EXAMPLE.matcher(ProjectFiles.read("docs/wire-format.md"));
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                return matcher.group(2);
            }
        }
        throw new AssertionError("docs/wire-format.md has no example of " + type);
    }
}

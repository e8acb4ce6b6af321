package dev.quantfleet.deploychecks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into its stages and instructions, enough to check what the deployment
 * relies on: the final stage's user, environment, health check and entry point. It handles
 * comments and line continuations, but not parser directives or heredocs, which deploy/ does not use.
 */
final class Dockerfile {

    /** One instruction, e.g. keyword {@code ENV} and arguments {@code A=1 B=2}. */
    record Instruction(String keyword, String arguments) {
    }

    /** One build stage: its base image, its name ({@code AS name}) and its instructions. */
    record Stage(String baseImage, Optional<String> name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        }

        /** Returns the variables that the stage's ENV instructions set, in the {@code KEY=value} form. */
        Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
            for (Instruction instruction : all("ENV")) {
                Matcher matcher = pair.matcher(instruction.arguments());
                while (matcher.find()) {
                    environment.put(matcher.group(1), matcher.group(2).replaceAll("^\"|\"$", ""));
                }
            }
            return environment;
        }
    }

    private static final Pattern FROM = Pattern.compile("(?i)(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?");

    private final Path file;
    private final Map<String, String> globalArguments;
    private final List<Stage> stages;

    private Dockerfile(Path file, Map<String, String> globalArguments, List<Stage> stages) {
        this.file = file;
        this.globalArguments = Map.copyOf(globalArguments);
        this.stages = List.copyOf(stages);
    }

    static Dockerfile read(Path file) {
        Map<String, String> globalArguments = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (String line : logicalLines(ProjectFiles.read(file))) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("FROM")) {
                Matcher matcher = FROM.matcher(instruction.arguments());
                if (!matcher.matches()) {
                    throw new AssertionError(file + ": cannot read FROM " + instruction.arguments());
                }
                current = new ArrayList<>();
                stages.add(new Stage(matcher.group(1), Optional.ofNullable(matcher.group(2)), current));
            } else if (current != null) {
                current.add(instruction);
            } else if (instruction.keyword().equals("ARG")) {
                String[] argument = instruction.arguments().split("=", 2);
                globalArguments.put(argument[0], argument.length > 1 ? argument[1] : "");
            }
        }
        return new Dockerfile(file, globalArguments, stages);
    }

    /** Returns the ARG defaults declared before the first FROM, e.g. {@code ROCM_VERSION=7.2.4}. */
    Map<String, String> globalArguments() {
        return globalArguments;
    }

    Path file() {
        return file;
    }

    List<Stage> stages() {
        return stages;
    }

    /** Returns the stage that the image runs: the last one. */
    Stage runtime() {
        return stages.get(stages.size() - 1);
    }

    private static List<String> logicalLines(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            lines.add(pending.toString().strip());
            pending.setLength(0);
        }
        if (!pending.isEmpty()) {
            lines.add(pending.toString().strip());
        }
        return lines;
    }
}

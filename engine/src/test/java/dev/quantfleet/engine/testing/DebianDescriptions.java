package dev.quantfleet.engine.testing;

import dev.quantfleet.engine.external.DpkgStatus;
import dev.quantfleet.engine.external.PackageDescription;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Real English texts for calibration and evaluation tests: the package descriptions in the
 * dpkg status database of the machine running the tests. Tests are aborted with a visible
 * assumption where {@code /var/lib/dpkg/status} is missing (non-Debian systems).
 */
public final class DebianDescriptions {

    private DebianDescriptions() {
    }

    /**
     * Returns up to {@code count} package synopses in package name order, starting after the
     * first {@code skip}, so that calibration and evaluation tests can take disjoint slices.
     */
    public static List<String> synopses(int skip, int count) {
        return all().stream().skip(skip).limit(count).map(PackageDescription::synopsis).toList();
    }

    /** Returns every description in package name order; aborts the test without a dpkg database. */
    public static List<PackageDescription> all() {
        if (!Files.isRegularFile(DpkgStatus.DEFAULT_PATH)) {
            String reason = "Skipping: " + DpkgStatus.DEFAULT_PATH + " is missing, so there are no Debian package "
                    + "descriptions to use as texts on this machine";
            System.err.println(reason);
            Assumptions.abort(reason);
        }
        try {
            return DpkgStatus.readDescriptions(DpkgStatus.DEFAULT_PATH);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + DpkgStatus.DEFAULT_PATH, e);
        }
    }
}

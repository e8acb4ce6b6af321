package dev.quantfleet.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * The data of the MiniLM searches, as the README's commands write them: the first
 * {@value MiniLmCalibration#CALIBRATION_TEXTS} package synopses for calibration, and
 * query/document pairs (synopsis, extended description) of the packages with an extended
 * description, the first {@value #PAIRS_SKIPPED} skipped, for evaluation.
 *
 * @param calibration    the calibration texts, one per line
 * @param pairs          the evaluation pairs, one {@code query<TAB>document} line each
 * @param pairCount      pairs in {@code pairs}
 * @param pairsAvailable packages with an extended description in this machine's package database
 */
record MiniLmSearchData(Path calibration, Path pairs, int pairCount, int pairsAvailable) {

    static final int PAIRS_SKIPPED = 100;

    /** Writes the calibration texts and {@code pairCount} pairs into the benchmarks' work folder. */
    static MiniLmSearchData write(List<String> pairLines, int pairCount) {
        Path calibration = PackageTexts.write(BenchmarkFolders.work(), "search-calibration.txt",
                PackageTexts.slice(PackageTexts.synopses(), 0, MiniLmCalibration.CALIBRATION_TEXTS));
        Path pairs = PackageTexts.write(BenchmarkFolders.work(), "search-pairs.tsv",
                PackageTexts.slice(pairLines, PAIRS_SKIPPED, PAIRS_SKIPPED + pairCount));
        return new MiniLmSearchData(calibration, pairs, pairCount, pairLines.size());
    }

    /** Returns one sentence that names the data, for a report. */
    String describe() {
        return String.format("Search data: %d calibration synopses, %d pairs (pairs %d to %d of the %d packages "
                        + "with an extended description)", MiniLmCalibration.CALIBRATION_TEXTS, pairCount,
                PAIRS_SKIPPED + 1, PAIRS_SKIPPED + pairCount, pairsAvailable);
    }
}

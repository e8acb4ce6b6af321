package dev.quantfleet.benchmarks;

import java.util.List;

/**
 * The drawn line sets of the vision suite, cut in this order from one list of distinct texts, so
 * that no two sets share a text. Each set draws from its own seed range, so a set looks the same
 * whatever the sizes of the others.
 *
 * @param calibration      first half clean, second half hard
 * @param recognizerSearch hard lines the recognizer's search evaluates on
 * @param classifierSearch first half clean, second half hard, for the classifier's search
 * @param clean            clean report lines
 * @param hard             hard report lines
 */
record VisionData(List<OcrLine> calibration, List<OcrLine> recognizerSearch, List<OcrLine> classifierSearch,
                  List<OcrLine> clean, List<OcrLine> hard) {

    /** Draws the sets of {@code settings} from {@code texts}, which must hold {@link VisionSuite.Settings#totalLines()}. */
    static VisionData draw(VisionSuite.Settings settings, List<String> texts) {
        int next = 0;
        List<String> calibration = texts.subList(next, next += settings.calibrationLines());
        List<String> recognizerSearch = texts.subList(next, next += settings.recognizerSearchLines());
        List<String> classifierSearch = texts.subList(next, next += settings.classifierSearchLines());
        List<String> clean = texts.subList(next, next += settings.reportLinesPerStyle());
        List<String> hard = texts.subList(next, next + settings.reportLinesPerStyle());
        return new VisionData(
                OcrLine.draw(calibration, halves(calibration.size()), 1_000_000),
                OcrLine.draw(recognizerSearch, index -> OcrLineStyle.HARD, 2_000_000),
                OcrLine.draw(classifierSearch, halves(classifierSearch.size()), 3_000_000),
                OcrLine.draw(clean, index -> OcrLineStyle.CLEAN, 4_000_000),
                OcrLine.draw(hard, index -> OcrLineStyle.HARD, 5_000_000));
    }

    private static java.util.function.IntFunction<OcrLineStyle> halves(int count) {
        return index -> index < count / 2 ? OcrLineStyle.CLEAN : OcrLineStyle.HARD;
    }

    /** Describes the sets in one Markdown paragraph. */
    String describe(VisionSuite.Settings settings) {
        return String.format("Data: %d calibration lines (half clean, half hard), a recognizer search set of %d hard "
                        + "lines, a classifier search set of %d lines (half clean, half hard), and report sets of %d "
                        + "clean and %d hard lines; no two sets share a text. Lines are %d to %d characters of Debian "
                        + "package descriptions (%s). The classifier sees every second line of a set turned by 180 "
                        + "degrees.", calibration.size(), recognizerSearch.size(), classifierSearch.size(), clean.size(),
                hard.size(), OcrTextLines.MIN_CHARACTERS, OcrTextLines.MAX_CHARACTERS, "/var/lib/dpkg/status");
    }
}

package dev.quantfleet.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * The suite's data as files in {@link BenchmarkFolders#work()}: {@code language-evaluation-pairs.tsv},
 * {@code language-search-pairs.tsv} and {@code language-calibration.txt}.
 *
 * @param source          where the descriptions come from
 * @param pairs           the parts cut from them
 * @param evaluationPairs file of the evaluation pairs
 * @param searchPairs     file of the search pairs
 * @param calibrationFile file of the calibration texts
 */
record LanguageData(PackageTexts.DescriptionSource source, RetrievalPairs pairs, Path evaluationPairs,
                    Path searchPairs, Path calibrationFile) {

    /** Reads the descriptions, cuts them with {@link RetrievalPairs#cut} and writes the three files. */
    static LanguageData write(int evaluationPairs, int searchPairs, int calibrationPackages) {
        PackageTexts.DescriptionSource source = PackageTexts.englishDescriptions();
        RetrievalPairs pairs = RetrievalPairs.cut(source.descriptions(), evaluationPairs, searchPairs,
                calibrationPackages);
        Path folder = BenchmarkFolders.work();
        return new LanguageData(source, pairs,
                PackageTexts.write(folder, "language-evaluation-pairs.tsv", pairs.evaluationPairs()),
                PackageTexts.write(folder, "language-search-pairs.tsv", pairs.searchPairs()),
                PackageTexts.write(folder, "language-calibration.txt", pairs.calibrationTexts()));
    }

    List<String> calibrationTexts() {
        return pairs.calibrationTexts();
    }

    /** Returns a paragraph that states the source and the size of each part. */
    String describe() {
        return String.format("Data: %,d package descriptions from %s. Pool: %,d packages with an extended "
                        + "description and a synopsis and extended description of their own, ordered by the SHA-256 "
                        + "of the package name. Evaluation: the first %,d (query: synopsis, document: extended "
                        + "description; each query ranks all %,d documents). Search: the next %,d pairs. "
                        + "Calibration: the synopsis and extended description of the next %,d packages (%,d texts). "
                        + "Texts are truncated to %d tokens.%s",
                source.descriptions().size(), source.name(), pairs.poolSize(), pairs.evaluationPairs().size(),
                pairs.evaluationPairs().size(), pairs.searchPairs().size(), pairs.calibrationTexts().size() / 2,
                pairs.calibrationTexts().size(), MiniLmFiles.MAX_TOKENS,
                source.translations() ? "" : " WARNING: no Translation-en file was found, so only the installed "
                        + "packages were used; run '" + PackageTexts.TRANSLATIONS_COMMAND + "' as root for all.");
    }
}

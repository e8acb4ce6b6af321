package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.external.PackageDescription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The data of the language suite, cut from one list of package descriptions into three disjoint
 * parts: evaluation pairs, search pairs and calibration texts. A pair is a query (the synopsis)
 * and its document (the extended description), written as {@link PackageTexts#pairLine} does.
 *
 * <p>How the parts are cut:
 * <ol>
 *   <li>Pool: per package name the first description (the input is sorted), with a non-empty
 *       extended description. A package whose synopsis or extended description, compared ignoring
 *       case, also belongs to another package of the pool is left out: a query with two relevant
 *       documents, or two queries with the same text, make Recall@1 depend on ties.</li>
 *   <li>Order: by the SHA-256 of the package name. The order looks random, does not depend on
 *       which other packages the sources list, and is the same on every machine.</li>
 *   <li>Cut: the first {@code evaluationPairs} packages are the evaluation pairs, the next
 *       {@code searchPairs} the pairs the searches evaluate on, and the next
 *       {@code calibrationPackages} give the calibration texts: the synopsis and then the
 *       extended description of each, so that calibration gets short and long inputs as the
 *       evaluation does.</li>
 * </ol>
 * No text of one part equals a text of another part, ignoring case, tabs and surrounding spaces (checked).
 *
 * @param poolSize         packages in the pool before the cut
 * @param evaluationPairs  pair lines the final comparison scores every model on
 * @param searchPairs      pair lines the searches evaluate candidates on
 * @param calibrationTexts one text per line, twice as many as calibration packages
 */
record RetrievalPairs(int poolSize, List<String> evaluationPairs, List<String> searchPairs,
                      List<String> calibrationTexts) {

    /**
     * Cuts {@code descriptions} as the class comment describes.
     *
     * @throws IllegalStateException naming the counts when the pool has fewer packages than the three parts need
     */
    static RetrievalPairs cut(List<PackageDescription> descriptions, int evaluationPairs, int searchPairs,
                              int calibrationPackages) {
        List<PackageDescription> pool = pool(descriptions);
        int needed = evaluationPairs + searchPairs + calibrationPackages;
        if (pool.size() < needed) {
            throw new IllegalStateException("The language suite needs " + needed + " packages with a distinct synopsis "
                    + "and extended description (" + evaluationPairs + " evaluation pairs, " + searchPairs
                    + " search pairs, " + calibrationPackages + " calibration packages), but the descriptions hold "
                    + pool.size() + ". Download the descriptions of every package with '"
                    + PackageTexts.TRANSLATIONS_COMMAND + "' (as root), or ask for fewer evaluation pairs");
        }
        List<String> evaluation = pool.subList(0, evaluationPairs).stream().map(PackageTexts::pairLine).toList();
        List<String> search = pool.subList(evaluationPairs, evaluationPairs + searchPairs).stream()
                .map(PackageTexts::pairLine).toList();
        List<String> calibration = new ArrayList<>();
        for (PackageDescription description : pool.subList(evaluationPairs + searchPairs, needed)) {
            calibration.add(description.synopsis());
            calibration.add(description.extendedDescription());
        }
        RetrievalPairs pairs = new RetrievalPairs(pool.size(), evaluation, search, List.copyOf(calibration));
        pairs.requireDisjoint();
        return pairs;
    }

    /** Returns the pool, ordered by the SHA-256 of the package name. */
    static List<PackageDescription> pool(List<PackageDescription> descriptions) {
        Map<String, PackageDescription> firstPerPackage = new LinkedHashMap<>();
        for (PackageDescription description : descriptions) {
            if (!description.extendedDescription().isBlank()) {
                firstPerPackage.putIfAbsent(description.packageName(), description);
            }
        }
        Map<String, Integer> synopsisCounts = new HashMap<>();
        Map<String, Integer> documentCounts = new HashMap<>();
        for (PackageDescription description : firstPerPackage.values()) {
            synopsisCounts.merge(key(description.synopsis()), 1, Integer::sum);
            documentCounts.merge(key(description.extendedDescription()), 1, Integer::sum);
        }
        return firstPerPackage.values().stream()
                .filter(description -> synopsisCounts.get(key(description.synopsis())) == 1
                        && documentCounts.get(key(description.extendedDescription())) == 1)
                .sorted(Comparator.comparing((PackageDescription description) ->
                                Sha256.hex(description.packageName().getBytes(StandardCharsets.UTF_8)))
                        .thenComparing(PackageDescription::packageName))
                .toList();
    }

    private void requireDisjoint() {
        Set<String> evaluationTexts = texts(evaluationPairs);
        Set<String> searchTexts = texts(searchPairs);
        for (String text : calibrationTexts) {
            if (evaluationTexts.contains(key(text)) || searchTexts.contains(key(text))) {
                throw new IllegalStateException("Calibration text '" + text + "' is also a query or document of the "
                        + "evaluation or search pairs; the parts must be disjoint");
            }
        }
        for (String text : searchTexts) {
            if (evaluationTexts.contains(text)) {
                throw new IllegalStateException("Search pair text '" + text + "' (lower case) is also in the evaluation pairs; "
                        + "the parts must be disjoint");
            }
        }
    }

    private static Set<String> texts(List<String> pairLines) {
        Set<String> texts = new HashSet<>();
        for (String line : pairLines) {
            int tab = line.indexOf('\t');
            texts.add(key(line.substring(0, tab)));
            texts.add(key(line.substring(tab + 1)));
        }
        return texts;
    }

    /** Returns the form in which two texts count as equal: tabs as spaces, stripped, lower case. */
    private static String key(String text) {
        return text.replace('\t', ' ').strip().toLowerCase(Locale.ROOT);
    }
}

package dev.quantfleet.engine.report;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Copies of metric maps, sorted by name so that the JSON is stable. */
final class Metrics {

    private Metrics() {
    }

    static SortedMap<String, Double> sortedCopy(Map<String, Double> metrics) {
        return metrics == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
    }
}

package dev.quantfleet.benchmarks;

/** Cell formats shared by the recognizer and classifier tables of the {@link VisionSuite}. */
final class VisionTables {

    private VisionTables() {
    }

    static String latency(VisionResults.LatencyMs latency) {
        return String.format("%.2f (%.2f-%.2f)", latency.median(), latency.p10(), latency.p90());
    }

    static String searchSeconds(VisionResults.SearchFacts search) {
        return search == null ? "-" : String.format("%.0f", search.wallTimeMs() / 1000.0);
    }

    static String candidates(VisionResults.SearchFacts search) {
        return search == null ? "-" : Integer.toString(search.candidatesEvaluated());
    }

    static String nodesKept(VisionResults.SearchFacts search) {
        return search == null ? "-" : Integer.toString(search.nodesInHigherPrecision());
    }
}

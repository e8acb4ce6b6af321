package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.evaluation.CandidateEvaluator;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.report.SearchReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the rows of one PaddleOCR model: fp32, the default configuration, the winner of the
 * in-process search, and the winner of the fleet search. Adds the searches' outcome and cost
 * tables to the report and the reproducibility and search-cost targets to the target list.
 */
final class QuantizedVariants {

    /** The default configuration: the {@code a8w8} preset, MinMax calibration. */
    static final String DEFAULT_PRESET = "a8w8";

    /**
     * One form of the model.
     *
     * @param name       row name
     * @param origin     how it was made
     * @param modelBytes the serialized model
     * @param search     what its search cost; null when no search made it
     */
    record Variant(String name, String origin, byte[] modelBytes, VisionResults.SearchFacts search) {
    }

    private final VisionSuite.Settings settings;
    private final BenchmarkReport report;
    private final List<VisionResults.Target> targets;

    QuantizedVariants(VisionSuite.Settings settings, BenchmarkReport report, List<VisionResults.Target> targets) {
        this.settings = settings;
        this.report = report;
        this.targets = targets;
    }

    /**
     * Makes every row of the model that {@code spec} searches; {@code label} names the model in
     * headings and targets, {@code work} receives the fleet's output folder.
     */
    List<Variant> make(String label, LocalSearchSpec spec, Path work) throws Exception {
        ModelProto model = MiniLmFiles.loadModel(spec.model());
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("fp32", "PaddleOCR, npm " + dev.quantfleet.engine.external.RealModelPackages.PADDLE_OCR,
                Files.readAllBytes(spec.model()), null));
        variants.add(defaultVariant(model, spec));

        report.add("Load average before the " + label + " search: " + MachineDescription.readLoadAverage() + ".");
        TimedSearch search = TimedSearch.run(spec);
        SearchCostTables.addOutcome(report, label + ": search in process", search);
        variants.add(new Variant("Quantfleet auto, in process", search.winner().candidateId() + ": "
                + TimedSearch.describe(search.winner().config()), search.result().winner().modelBytes(),
                facts(search.result().report(), search.wallTimeMs())));
        if (settings.costBreakdown()) {
            report.add("Load average before the breakdown: " + MachineDescription.readLoadAverage() + ".");
            SearchCostBreakdown breakdown = SearchCostBreakdown.measure(search);
            SearchCostTables.addCost(report, search, breakdown);
            long budgetMs = breakdown.calibrationMs() + breakdown.evaluationsMs();
            double ratio = search.wallTimeMs() / (double) budgetMs;
            targets.add(new VisionResults.Target(label + " search cost: LocalSearch.run wall time / (one calibration "
                    + "+ the evaluations, one at a time)", String.format("%.2f (%,d ms / %,d ms)", ratio,
                    search.wallTimeMs(), budgetMs), "at most 1.20", ratio <= 1.2));
        }
        if (settings.repeatSearch()) {
            addReproducibility(label, spec, search);
        }
        if (settings.fleetWorkers() > 0) {
            fleetVariant(label, spec, work, search).ifPresent(variants::add);
        }
        return variants;
    }

    private Variant defaultVariant(ModelProto model, LocalSearchSpec spec) throws Exception {
        long start = System.nanoTime();
        CalibrationStatistics statistics;
        try (SampleSource samples = SampleSources.open(spec.calibrationData(), model, null)) {
            statistics = CandidateEvaluator.calibrate(model, samples, spec.settings().threads());
        }
        byte[] bytes = CandidateEvaluator.quantizeOnly(model, statistics, Presets.byName(DEFAULT_PRESET), null)
                .modelBytes();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("default configuration: calibrated and quantized in %d ms%n", elapsedMs);
        return new Variant("default (" + DEFAULT_PRESET + ", MinMax)", "preset " + DEFAULT_PRESET + ", "
                + TimedSearch.describe(Presets.byName(DEFAULT_PRESET)) + ", same calibration lines", bytes, null);
    }

    private void addReproducibility(String label, LocalSearchSpec spec, TimedSearch first) throws Exception {
        report.add("Load average before the second " + label + " search: " + MachineDescription.readLoadAverage() + ".");
        TimedSearch second = TimedSearch.run(spec);
        String firstSha = VisionSuite.sha256(first.result().winner().modelBytes());
        String secondSha = VisionSuite.sha256(second.result().winner().modelBytes());
        targets.add(new VisionResults.Target(label + " reproducibility: SHA-256 of the winner, search run twice in "
                + "process", firstSha.substring(0, 16) + " and " + secondSha.substring(0, 16)
                + String.format(" (second run %,d ms)", second.wallTimeMs()), "equal", firstSha.equals(secondSha)));
    }

    /**
     * Runs the fleet search. A failed run is reported as a missed target and leaves the row out,
     * so that the rest of the suite still runs.
     */
    private java.util.Optional<Variant> fleetVariant(String label, LocalSearchSpec spec, Path work,
                                                     TimedSearch inProcess) throws InterruptedException {
        report.add("Load average before the " + label + " fleet search: " + MachineDescription.readLoadAverage() + ".");
        FleetSearch fleet;
        try {
            fleet = FleetSearch.run(spec, settings.fleetWorkers(), work.resolve("fleet-" + slug(label)));
        } catch (IOException | RuntimeException e) {
            report.add(label + " on a local fleet failed, so its row is missing: " + e.getMessage());
            targets.add(new VisionResults.Target(label + " fleet and in-process winners are the same bytes",
                    "fleet search failed", "equal", false));
            return java.util.Optional.empty();
        }
        SearchReport fleetReport = fleet.report();
        String inProcessSha = VisionSuite.sha256(inProcess.result().winner().modelBytes());
        String fleetSha = VisionSuite.sha256(fleet.modelBytes());
        report.add(String.format("%s on a local fleet of %d workers: exit code %d, %,d ms for the whole command "
                        + "(build check, fleet start and stop included), search loop %,d ms, %d trials, winner %s; "
                        + "its SHA-256 %s the in-process winner's.", label, settings.fleetWorkers(), fleet.exitCode(),
                fleet.wallTimeMs(), fleetReport.search().wallTimeMs(), fleetReport.search().trials(),
                fleetReport.winner() == null ? "none" : fleetReport.winner().candidateId(),
                fleetSha.equals(inProcessSha) ? "equals" : "differs from"));
        targets.add(new VisionResults.Target(label + " fleet and in-process winners are the same bytes",
                fleetSha.substring(0, 16) + " and " + inProcessSha.substring(0, 16), "equal",
                fleetSha.equals(inProcessSha)));
        String winner = fleetReport.winner() == null ? "none"
                : fleetReport.winner().candidateId() + ": " + TimedSearch.describe(fleetReport.winner().config());
        return java.util.Optional.of(new Variant("Quantfleet auto, fleet of " + settings.fleetWorkers(), winner,
                fleet.modelBytes(), facts(fleetReport, fleet.wallTimeMs())));
    }

    private static VisionResults.SearchFacts facts(SearchReport searchReport, long wallTimeMs) {
        var winner = searchReport.winner();
        return new VisionResults.SearchFacts(wallTimeMs, searchReport.search().trials(),
                winner == null ? 0 : winner.nodesInHigherPrecision().size(),
                winner == null ? "none" : TimedSearch.describe(winner.config()), searchReport.acceptable());
    }

    private static String slug(String label) {
        return label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}

package dev.quantfleet.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the audio suite's result as JSON, the machine-readable twin of {@code audio.md}:
 * settings, machine, data, one object per row (quality, size, latency, search), and the targets.
 * Times are in milliseconds, sizes in bytes.
 */
final class AudioResultJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AudioResultJson() {
    }

    static void write(Path file, int clips, int trials, AudioSuiteData data, List<AudioMeasurement> measurements,
                      AudioTargets targets, TimedSearch search, FleetSearch fleet, long suiteMs) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("suite", "audio: openWakeWord hey jarvis");
        root.put("settings", settings(clips, trials));
        root.put("machine", MachineDescription.current(AudioBenchmark.TASK_THREADS));
        root.put("data", data(data));
        List<Map<String, Object>> rows = new ArrayList<>();
        measurements.forEach(measurement -> rows.add(row(measurement)));
        root.put("rows", rows);
        root.put("targets", targets(targets));
        root.put("searchWinner", search.winner().candidateId());
        root.put("fleetCommandWallMs", fleet == null ? null : fleet.wallTimeMs());
        root.put("suiteWallMs", suiteMs);
        root.put("loadAverageAtEnd", MachineDescription.readLoadAverage());
        MAPPER.writeValue(file.toFile(), root);
        System.out.println("JSON result written to " + file);
    }

    private static Map<String, Object> settings(int clips, int trials) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("evaluationClips", clips);
        settings.put("calibrationClips", AudioSuiteData.calibrationClipsFor(clips));
        settings.put("metric", AudioBenchmark.METRIC);
        settings.put("maxAbsoluteDrop", AudioBenchmark.MAX_AUC_DROP);
        settings.put("strategy", "auto");
        settings.put("objective", AudioBenchmark.OBJECTIVE.jsonName());
        settings.put("trials", trials);
        settings.put("searchSeed", AudioBenchmark.SEARCH_SEED);
        settings.put("taskThreads", AudioBenchmark.TASK_THREADS);
        settings.put("fleetWorkers", AudioBenchmark.FLEET_WORKERS);
        return settings;
    }

    private static Map<String, Object> data(AudioSuiteData data) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("evaluationClips", data.evaluation().plans().size());
        summary.put("evaluationPositives", data.evaluation().positiveCount());
        summary.put("calibrationClips", data.calibration().plans().size());
        summary.put("evaluationSeed", AudioSuiteData.EVALUATION_SEED);
        summary.put("calibrationSeed", AudioSuiteData.CALIBRATION_SEED);
        summary.put("searchClips", data.search().plans().size());
        summary.put("searchPositives", data.search().positiveCount());
        summary.put("searchSeed", AudioSuiteData.SEARCH_SEED);
        summary.put("clipSamples", WakeWordPipeline.CLIP_SAMPLES);
        summary.put("synthesisMs", data.synthesisMs());
        return summary;
    }

    private static Map<String, Object> row(AudioMeasurement measurement) {
        AudioRow row = measurement.row();
        WakeWordScores.Quality quality = measurement.quality();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", row.name());
        json.put("configuration", row.configuration());
        json.put("auc", quality.auc());
        json.put("aucLow95", quality.aucLow95());
        json.put("aucHigh95", quality.aucHigh95());
        json.put("detectionAtZeroFalseAccepts", quality.detectionAtZeroFalseAccepts());
        json.put("highestNegativeScore", quality.highestNegativeScore());
        json.put("scoreMseToFp32", quality.scoreMse());
        json.put("scoreCosineToFp32", quality.scoreCosine());
        json.put("maxScoreDifferenceToFp32", quality.maxScoreDifference());
        json.put("modelBytes", row.modelBytes().length);
        json.put("sha256", row.sha256());
        json.put("latencyMedianMs", measurement.medianMs());
        json.put("latencyP10Ms", measurement.p10Ms());
        json.put("latencyP90Ms", measurement.p90Ms());
        json.put("searchWallMs", row.searchWallMs());
        json.put("candidatesEvaluated", row.candidatesEvaluated());
        json.put("higherPrecision", row.higherPrecision());
        return json;
    }

    private static Map<String, Object> targets(AudioTargets targets) {
        Map<String, Object> json = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AudioTargets.RowTarget row : targets.rows()) {
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("name", row.name());
            target.put("aucDrop", row.aucDrop());
            target.put("aucWithinMaxDrop", row.aucMet());
            target.put("detectionDrop", row.detectionDrop());
            target.put("detectionKept", row.detectionMet());
            rows.add(target);
        }
        json.put("rows", rows);
        json.put("inProcessWinnerSha256", List.of(targets.parallelSha256(), targets.sequentialSha256()));
        json.put("inProcessWinnersIdentical", targets.searchesIdentical());
        json.put("fleetWinnerSha256", targets.fleetSha256());
        json.put("searchWallMs", targets.searchWallMs());
        json.put("calibrationAloneMs", targets.calibrationMs());
        json.put("baselineAloneMs", targets.baselineMs());
        json.put("evaluationsAloneMs", targets.evaluationsMs());
        json.put("evaluationCount", targets.evaluationCount());
        json.put("wallRatio", targets.wallRatio());
        json.put("wallRatioMet", targets.wallRatioMet());
        return json;
    }
}

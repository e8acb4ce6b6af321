package dev.quantfleet.engine.evaluation;

import java.util.List;
import java.util.Optional;

/** Provides the detection metrics {@code auc} and {@code detection@0fa} (see {@link DetectionMetric}). */
public final class DetectionTaskMetrics implements TaskMetricProvider {

    @Override
    public List<String> names() {
        return List.of(DetectionMetric.AUC, DetectionMetric.DETECTION_AT_ZERO_FALSE_ACCEPTS);
    }

    @Override
    public Optional<TaskMetric> create(String name) {
        if (name.equals(DetectionMetric.AUC)) {
            return Optional.of(DetectionMetric.auc());
        }
        if (name.equals(DetectionMetric.DETECTION_AT_ZERO_FALSE_ACCEPTS)) {
            return Optional.of(DetectionMetric.detectionAtZeroFalseAccepts());
        }
        return Optional.empty();
    }
}

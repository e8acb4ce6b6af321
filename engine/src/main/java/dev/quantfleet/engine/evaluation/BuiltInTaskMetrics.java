package dev.quantfleet.engine.evaluation;

import java.util.List;
import java.util.Optional;

/** Provides {@code accuracy}, {@code recall@K} and {@code mrr}. */
public final class BuiltInTaskMetrics implements TaskMetricProvider {

    @Override
    public List<String> names() {
        return List.of(ClassificationAccuracy.NAME, RetrievalMetric.RECALL_PREFIX + "K", RetrievalMetric.MRR);
    }

    @Override
    public Optional<TaskMetric> create(String name) {
        if (name.equals(ClassificationAccuracy.NAME)) {
            return Optional.of(new ClassificationAccuracy());
        }
        if (name.equals(RetrievalMetric.MRR)) {
            return Optional.of(RetrievalMetric.mrr());
        }
        if (name.startsWith(RetrievalMetric.RECALL_PREFIX)) {
            String cutoff = name.substring(RetrievalMetric.RECALL_PREFIX.length());
            try {
                return Optional.of(RetrievalMetric.recallAt(Integer.parseInt(cutoff)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Task metric '" + name + "' is invalid; K in recall@K must be a "
                        + "positive integer, e.g. recall@1 or recall@10", e);
            }
        }
        return Optional.empty();
    }
}

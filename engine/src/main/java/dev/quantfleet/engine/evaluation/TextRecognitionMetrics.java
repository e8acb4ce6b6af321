package dev.quantfleet.engine.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Provides the task metrics of CTC text line recognizers, which need {@link TextLabels}:
 * <ul>
 *   <li>{@value #CER}: the character error rate over the set (see {@link TextRecognitionErrors}),
 *       lower is better;</li>
 *   <li>{@value #EXACT_MATCH}: the share of lines recognized exactly, higher is better.</li>
 * </ul>
 * Each sample's first float output holds the class scores of one line, shape {@code [1, T, C]};
 * it is decoded greedily with the labels' dictionary ({@link CtcGreedyDecoder}) and compared with
 * the sample's reference text as is: no case folding, no trimming of spaces.
 */
public final class TextRecognitionMetrics implements TaskMetricProvider {

    /** Name of the character error rate. */
    public static final String CER = "cer";
    /** Name of the share of exactly recognized lines. */
    public static final String EXACT_MATCH = "exact-match";

    @Override
    public List<String> names() {
        return List.of(CER, EXACT_MATCH);
    }

    @Override
    public Optional<TaskMetric> create(String name) {
        return switch (name) {
            case CER -> Optional.of(new Metric(CER, MetricDirection.LOWER_IS_BETTER,
                    TextRecognitionErrors::characterErrorRate));
            case EXACT_MATCH -> Optional.of(new Metric(EXACT_MATCH, MetricDirection.HIGHER_IS_BETTER,
                    TextRecognitionErrors::exactMatch));
            default -> Optional.empty();
        };
    }

    /**
     * Decodes the first output of every sample with the dictionary of {@code labels}.
     *
     * @throws IllegalArgumentException if an output is not {@code [1, T, C]} with C the dictionary's class count
     */
    public static List<String> recognize(List<EvaluatedSample> samples, TextLabels labels, String metricName) {
        CtcGreedyDecoder decoder = labels.decoder();
        List<String> recognized = new ArrayList<>(samples.size());
        for (EvaluatedSample sample : samples) {
            OutputTensor scores = sample.firstOutput();
            long[] shape = scores.shape();
            if (shape.length != 3 || shape[0] != 1 || shape[2] != decoder.classCount()) {
                throw new IllegalArgumentException("Metric '" + metricName + "' needs the class scores of one text "
                        + "line per sample, shape [1, T, " + decoder.classCount() + "] for the " + decoder.classCount()
                        + " classes of the labels' dictionary (blank included), but output " + scores.describe()
                        + " of " + sample.sample().origin() + " has another shape; check that the dictionary "
                        + "belongs to this model");
            }
            recognized.add(decoder.decode(scores.values(), shape).get(0).text());
        }
        return recognized;
    }

    /** One metric computed from the errors of every sample. */
    private record Metric(String name, MetricDirection direction, ToDoubleFunction<TextRecognitionErrors> value)
            implements TaskMetric {

        @Override
        public void requireLabels(Labels labels) {
            labels.requireTexts(name);
        }

        @Override
        public double score(List<EvaluatedSample> samples, Labels labels) {
            TextLabels texts = labels.requireTexts(name, samples.size());
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("Metric '" + name + "' needs at least one sample");
            }
            List<String> recognized = recognize(samples, texts, name);
            return value.applyAsDouble(TextRecognitionErrors.of(recognized, texts.texts()));
        }
    }
}

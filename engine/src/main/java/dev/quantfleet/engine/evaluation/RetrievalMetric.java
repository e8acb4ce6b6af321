package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.TextPairs.TextPair;

import java.util.List;

/**
 * Embedding retrieval on query/document pairs (see {@link RetrievalRanks} for ranks and
 * duplicates, {@link SentenceEmbeddings} for the embeddings). Samples alternate query, document,
 * as {@link dev.quantfleet.engine.data.TextPairs} produces them.
 * <ul>
 *   <li>{@code recall@K}: the share of queries whose rank is at most {@code K}, for any
 *       {@code K >= 1}; a {@code K} at or above the number of documents gives 1.</li>
 *   <li>{@code mrr}: the mean over queries of {@code 1 / rank}.</li>
 * </ul>
 * Both are fractions in [0, 1], higher is better.
 */
final class RetrievalMetric implements TaskMetric {

    static final String RECALL_PREFIX = "recall@";
    static final String MRR = "mrr";

    private final String name;
    private final int recallCutoff;

    private RetrievalMetric(String name, int recallCutoff) {
        this.name = name;
        this.recallCutoff = recallCutoff;
    }

    /** Mean reciprocal rank. */
    static RetrievalMetric mrr() {
        return new RetrievalMetric(MRR, 0);
    }

    /**
     * Recall at {@code k}.
     *
     * @throws IllegalArgumentException if {@code k < 1}
     */
    static RetrievalMetric recallAt(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("recall@" + k + " is invalid; K must be a positive integer, e.g. recall@1 "
                    + "or recall@10");
        }
        return new RetrievalMetric(RECALL_PREFIX + k, k);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MetricDirection direction() {
        return MetricDirection.HIGHER_IS_BETTER;
    }

    @Override
    public double score(List<EvaluatedSample> samples, Labels labels) {
        List<TextPair> pairs = labels.requirePairs(name, samples.size());
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("Metric '" + name + "' needs at least one query/document pair");
        }
        double[][] queries = new double[pairs.size()][];
        double[][] documents = new double[pairs.size()][];
        for (int pair = 0; pair < pairs.size(); pair++) {
            queries[pair] = SentenceEmbeddings.embed(samples.get(2 * pair));
            documents[pair] = SentenceEmbeddings.embed(samples.get(2 * pair + 1));
        }
        int[] ranks = RetrievalRanks.ranks(queries, documents, pairs.stream().map(TextPair::document).toList());
        double sum = 0;
        for (int rank : ranks) {
            sum += recallCutoff == 0 ? 1.0 / rank : (rank <= recallCutoff ? 1 : 0);
        }
        return sum / ranks.length;
    }
}

package dev.quantfleet.engine.evaluation;

import java.util.List;

/**
 * The rank of the relevant document for each query when all documents are ordered by cosine to
 * the query, best first.
 *
 * <p>Query {@code i} belongs to pair {@code i}. Every document whose text equals the text of
 * document {@code i} is relevant to it, so duplicated documents do not count as misses. The rank
 * is {@code 1 + } the number of non-relevant documents that score at least as high as the best
 * relevant one: a tie with a non-relevant document counts against the query (pessimistic), so
 * a model that gives every document the same score does not look good.
 */
final class RetrievalRanks {

    private RetrievalRanks() {
    }

    /**
     * Returns the 1-based rank per query.
     *
     * @param queries       unit-length query embeddings
     * @param documents     unit-length document embeddings, as many as queries
     * @param documentTexts text of each document, to find duplicates of the relevant one
     */
    static int[] ranks(double[][] queries, double[][] documents, List<String> documentTexts) {
        int[] ranks = new int[queries.length];
        for (int query = 0; query < queries.length; query++) {
            double[] scores = new double[documents.length];
            double bestRelevant = Double.NEGATIVE_INFINITY;
            for (int document = 0; document < documents.length; document++) {
                scores[document] = dot(queries[query], documents[document]);
                if (isRelevant(documentTexts, query, document)) {
                    bestRelevant = Math.max(bestRelevant, scores[document]);
                }
            }
            int rank = 1;
            for (int document = 0; document < documents.length; document++) {
                if (!isRelevant(documentTexts, query, document) && !(scores[document] < bestRelevant)) {
                    rank++;
                }
            }
            ranks[query] = rank;
        }
        return ranks;
    }

    private static boolean isRelevant(List<String> documentTexts, int query, int document) {
        return documentTexts.get(document).equals(documentTexts.get(query));
    }

    private static double dot(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("A query embedding has " + a.length + " dimensions and a document "
                    + "embedding " + b.length + "; both come from the same output and must match");
        }
        double sum = 0;
        for (int index = 0; index < a.length; index++) {
            sum += a[index] * b[index];
        }
        return sum;
    }
}

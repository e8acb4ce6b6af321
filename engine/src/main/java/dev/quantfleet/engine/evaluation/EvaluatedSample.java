package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.Sample;

import java.util.List;

/**
 * One evaluation sample and the float outputs a model gave for it, in graph output order.
 *
 * @param sample  the model inputs, e.g. {@code input_ids} and {@code attention_mask}
 * @param outputs the float graph outputs; integer outputs are left out
 */
public record EvaluatedSample(Sample sample, List<OutputTensor> outputs) {

    public EvaluatedSample {
        outputs = List.copyOf(outputs);
    }

    /**
     * Returns the first float output, which task metrics score.
     *
     * @throws IllegalStateException if the model has no float output
     */
    public OutputTensor firstOutput() {
        if (outputs.isEmpty()) {
            throw new IllegalStateException("The model gave no float output for " + sample.origin()
                    + "; task metrics score the first float output");
        }
        return outputs.get(0);
    }
}

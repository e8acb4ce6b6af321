package dev.quantfleet.engine.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.quantfleet.engine.onnx.ElementType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Samples from a UTF-8 text file, one sample per non-blank line, tokenized with a Hugging Face
 * {@code tokenizer.json}. Each sample feeds whichever of {@code input_ids}, {@code attention_mask}
 * and {@code token_type_ids} the model declares, as tensors of shape {@code [1, tokens]}; the
 * element type is INT32 where the model declares INT32 and INT64 otherwise. Lines are read as
 * the iteration reaches them.
 *
 * <p>In pairs mode, every non-blank line is a {@link TextPairs} line {@code query<TAB>document}
 * and gives two samples: the query, then the document.
 */
final class TextSampleSource implements SampleSource {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final Set<String> TOKENIZER_OUTPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

    private final Path textFile;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, ElementType> fedInputs = new LinkedHashMap<>();
    private final Set<BufferedReader> openReaders = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final boolean pairs;
    private final int size;

    TextSampleSource(Path textFile, List<ModelInput> inputs, TextOptions options) {
        this(textFile, inputs, options, false);
    }

    /** @param pairs whether each line is a tab-separated query/document pair that gives two samples */
    TextSampleSource(Path textFile, List<ModelInput> inputs, TextOptions options, boolean pairs) {
        this.textFile = textFile;
        this.pairs = pairs;
        for (ModelInput input : inputs) {
            if (TOKENIZER_OUTPUTS.contains(input.name())) {
                boolean int32 = input.elementType().filter(type -> type == ElementType.INT32).isPresent();
                fedInputs.put(input.name(), int32 ? ElementType.INT32 : ElementType.INT64);
            }
        }
        if (fedInputs.isEmpty()) {
            throw new InvalidDataException("Text data in " + textFile + " can feed only the inputs " + INPUT_IDS + ", "
                    + ATTENTION_MASK + " and " + TOKEN_TYPE_IDS + ", but the model declares none of them; model "
                    + "inputs: " + ModelInput.describeAll(inputs));
        }
        this.size = pairs ? 2 * TextPairs.read(textFile).size() : countSamples(textFile);
        this.tokenizer = createTokenizer(options, fixedSequenceLength(inputs));
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String description() {
        return textFile.toString();
    }

    @Override
    public Iterator<Sample> iterator() {
        BufferedReader reader;
        try {
            reader = Files.newBufferedReader(textFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to open " + textFile, e);
        }
        synchronized (openReaders) {
            openReaders.add(reader);
        }
        return new LineIterator(reader);
    }

    @Override
    public void close() {
        synchronized (openReaders) {
            for (BufferedReader reader : openReaders) {
                closeReader(reader);
            }
            openReaders.clear();
        }
        tokenizer.close();
    }

    private Sample tokenize(String text, String origin) {
        Encoding encoding = tokenizer.encode(text);
        Map<String, TensorValue> values = new LinkedHashMap<>();
        for (Map.Entry<String, ElementType> input : fedInputs.entrySet()) {
            long[] tokens = switch (input.getKey()) {
                case INPUT_IDS -> encoding.getIds();
                case ATTENTION_MASK -> encoding.getAttentionMask();
                default -> encoding.getTypeIds();
            };
            values.put(input.getKey(), toTensor(tokens, input.getValue()));
        }
        return new Sample(origin, values);
    }

    private static TensorValue toTensor(long[] tokens, ElementType type) {
        long[] shape = {1, tokens.length};
        if (type == ElementType.INT64) {
            return TensorValue.ofLongs(shape, tokens);
        }
        int[] ints = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            ints[i] = Math.toIntExact(tokens[i]);
        }
        return TensorValue.ofInts(shape, ints);
    }

    /** Returns the sequence length that the model fixes for a tokenizer input, if any. */
    private static Optional<Long> fixedSequenceLength(List<ModelInput> inputs) {
        return inputs.stream()
                .filter(input -> TOKENIZER_OUTPUTS.contains(input.name()))
                .flatMap(input -> input.dims().stream())
                .filter(dims -> dims.size() == 2 && dims.get(1).isFixed() && dims.get(1).size() > 0)
                .map(dims -> dims.get(1).size())
                .findFirst();
    }

    private static HuggingFaceTokenizer createTokenizer(TextOptions options, Optional<Long> fixedLength) {
        int maxLength = fixedLength.map(Math::toIntExact).orElse(options.maxLength());
        HuggingFaceTokenizer.Builder builder = HuggingFaceTokenizer.builder();
        // DJL 0.38 caps maxLength at modelMaxLength, 512 unless set, and only logs a warning when it does.
        builder.configure(Map.of("modelMaxLength", Integer.toString(maxLength)));
        builder.optTokenizerPath(options.tokenizer())
                .optMaxLength(maxLength)
                .optTruncation(true);
        if (fixedLength.isPresent() || options.padToMaxLength()) {
            builder.optPadToMaxLength();
        } else {
            builder.optPadding(false);
        }
        try {
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the tokenizer " + options.tokenizer(), e);
        } catch (RuntimeException e) {
            throw new InvalidTokenizerException(options.tokenizer(), "Failed to load the tokenizer "
                    + options.tokenizer() + "; it must be a Hugging Face tokenizer.json: " + e.getMessage(), e);
        }
    }

    private static int countSamples(Path textFile) {
        int count = 0;
        try (BufferedReader reader = Files.newBufferedReader(textFile, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    count++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + textFile, e);
        }
        return count;
    }

    private void closeReader(BufferedReader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to close " + textFile, e);
        }
    }

    /** One pass over the lines; closes the file at the end. */
    private final class LineIterator implements Iterator<Sample> {

        private final BufferedReader reader;
        private String nextLine;
        private int nextLineNumber;
        private Sample pendingDocument;
        private int lineNumber;
        private boolean done;

        LineIterator(BufferedReader reader) {
            this.reader = reader;
        }

        @Override
        public boolean hasNext() {
            if (nextLine != null || pendingDocument != null) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lineNumber++;
                    if (!line.isBlank()) {
                        nextLine = line;
                        nextLineNumber = lineNumber;
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read line " + (lineNumber + 1) + " of " + textFile, e);
            }
            done = true;
            synchronized (openReaders) {
                openReaders.remove(reader);
            }
            closeReader(reader);
            return false;
        }

        @Override
        public Sample next() {
            if (!hasNext()) {
                throw new NoSuchElementException(textFile + " has no more non-blank lines");
            }
            if (pendingDocument != null) {
                Sample document = pendingDocument;
                pendingDocument = null;
                return document;
            }
            String line = nextLine;
            nextLine = null;
            String origin = textFile + ", line " + nextLineNumber;
            if (!pairs) {
                return tokenize(line, origin);
            }
            TextPairs.TextPair pair = TextPairs.parse(line, textFile, nextLineNumber);
            pendingDocument = tokenize(pair.document(), origin + ", document");
            return tokenize(pair.query(), origin + ", query");
        }
    }
}

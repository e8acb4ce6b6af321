package dev.quantfleet.engine.data;

import java.util.Iterator;

/**
 * A stream of samples read from a file or folder one at a time, so that memory does not grow
 * with the number of samples. Every call of {@link #iterator()} starts a new pass from the first
 * sample; passes of one source run one after another, not interleaved. Readers report bad data
 * while iterating, as {@link InvalidDataException}, and failed reads as
 * {@link java.io.UncheckedIOException}.
 *
 * <p>{@link #close()} releases files and native resources that open passes still hold.
 */
public interface SampleSource extends AutoCloseable, Iterable<Sample> {

    /** Returned by {@link #size()} when the number of samples is not known before reading them all. */
    int UNKNOWN_SIZE = -1;

    /** Returns the number of samples, or {@link #UNKNOWN_SIZE}. */
    int size();

    /** Returns the file or folder that the samples come from, as error messages name it. */
    String description();

    @Override
    Iterator<Sample> iterator();

    @Override
    void close();
}

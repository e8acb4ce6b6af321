package dev.quantfleet.engine.testing;

import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;

import java.util.Iterator;
import java.util.List;

/** Samples held in memory, for tests that need no files. */
public record ListSampleSource(String description, List<Sample> samples) implements SampleSource {

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public Iterator<Sample> iterator() {
        return samples.iterator();
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}

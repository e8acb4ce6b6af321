package dev.quantfleet.engine.search;

/** Receives progress from the worker threads of a search, so it must be thread-safe. */
@FunctionalInterface
public interface SearchProgressListener {

    SearchProgressListener NONE = progress -> { };

    void onProgress(SearchProgress progress);
}

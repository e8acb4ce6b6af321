/**
 * Search for the cheapest quantization configuration that keeps a model's quality within a
 * goal. A search runs in rounds: round 0 evaluates the float model and collects calibration
 * statistics; every later round is a batch of tasks proposed by a {@link
 * dev.quantfleet.engine.search.SearchStrategy} from all results so far, sorted by task id. A
 * strategy sees nothing of a round until the whole round is complete, so the outcome does not
 * depend on completion order or thread count (a deadline is the one exception, see {@link
 * dev.quantfleet.engine.search.InProcessSearch}). {@link dev.quantfleet.engine.search.SearchDriver}
 * plans each round from the request and the stored results alone, so a search can resume after
 * its coordinator restarts.
 */
package dev.quantfleet.engine.search;

package dev.quantfleet.benchmarks;

/**
 * One form of a model in a comparison.
 *
 * @param name       the row name, e.g. {@code fp32}
 * @param origin     where the model comes from
 * @param modelBytes the serialized model
 */
record NamedModel(String name, String origin, byte[] modelBytes) {
}

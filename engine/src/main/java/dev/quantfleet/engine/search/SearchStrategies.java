package dev.quantfleet.engine.search;

import java.util.List;

/** Creates strategies by name. */
public final class SearchStrategies {

    public static final String AUTO = "auto";
    public static final String PRESETS = "presets";
    public static final String GRID = "grid";
    public static final String RANDOM = "random";
    public static final String TPE = "tpe";

    /** Every strategy name, the default first. */
    public static final List<String> NAMES = List.of(AUTO, PRESETS, GRID, RANDOM, TPE);

    private SearchStrategies() {
    }

    /** Returns a new instance of the strategy called {@code name}. */
    public static SearchStrategy create(String name) {
        return switch (requireKnown(name)) {
            case PRESETS -> new PresetsStrategy();
            case GRID -> new GridStrategy();
            case RANDOM -> new RandomStrategy();
            case TPE -> new TpeStrategy();
            default -> new AutoStrategy();
        };
    }

    static String requireKnown(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("Unknown search strategy '" + name + "'; expected one of " + NAMES);
        }
        return name;
    }
}

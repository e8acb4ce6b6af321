package dev.quantfleet.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions that Maven writes into {@code quantfleet-cli.properties} at build time. */
public final class BuildInfo implements IVersionProvider {

    private static final String RESOURCE = "/quantfleet-cli.properties";

    /** Returns the Quantfleet project version. */
    public static String version() {
        return property("version");
    }

    /** Returns the version of the langchain4j MiniLM model jars, the one the engine tests use. */
    public static String miniLmVersion() {
        return property("minilm.version");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "quantfleet " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        };
    }

    private static String property(String name) {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath; rebuild the cli module");
            }
            Properties properties = new Properties();
            properties.load(in);
            String value = properties.getProperty(name);
            if (value == null || value.startsWith("${")) {
                throw new IllegalStateException("Property '" + name + "' in " + RESOURCE
                        + " was not filtered by Maven; rebuild the cli module");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}

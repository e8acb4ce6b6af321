package dev.quantfleet.deploychecks;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Files of the project that the checks read, below the root that the build passes in {@code quantfleet.root}. */
final class ProjectFiles {

    private ProjectFiles() {
    }

    /** Returns the project root: the {@code quantfleet.root} system property, else the parent of the working folder. */
    static Path root() {
        String root = System.getProperty("quantfleet.root");
        return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
    }

    static Path resolve(String relativePath) {
        return root().resolve(relativePath);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file, e);
        }
    }

    static String read(String relativePath) {
        return read(resolve(relativePath));
    }

    /** Parses {@code text} in the java.util.Properties format, as Quarkus reads a properties file. */
    static Properties properties(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to parse properties", e);
        }
        return properties;
    }

    /** Returns a property of the root pom, e.g. {@code onnxruntime.version}. */
    static String pomProperty(String name) {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(name)
                + ">([^<]*)</" + Pattern.quote(name) + ">").matcher(read("pom.xml"));
        if (!matcher.find()) {
            throw new AssertionError("The root pom.xml has no property " + name);
        }
        return matcher.group(1).strip();
    }

    /** Returns the application.properties that {@code module} packages, e.g. {@code worker}. */
    static Properties applicationProperties(String module) {
        return properties(read(module + "/src/main/resources/application.properties"));
    }
}

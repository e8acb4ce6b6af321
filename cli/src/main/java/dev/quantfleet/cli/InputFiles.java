package dev.quantfleet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files a command reads, each with the option it came from, compared with an output by real
 * path (symbolic links resolved), so that no output overwrites an input under another name.
 */
final class InputFiles {

    /** One file that the command reads and the option that names it, such as "MODEL" or "--config". */
    record InputFile(Path realPath, String role) {
    }

    private final List<InputFile> files = new ArrayList<>();

    /** Adds {@code path} as an input of {@code role}; a null path is ignored. */
    InputFiles add(String role, Path path) {
        if (path != null) {
            files.add(new InputFile(realPath(path), role));
        }
        return this;
    }

    /**
     * Adds {@code path}, and every file below it when it is a folder (following links), as inputs
     * of {@code role}; a null or missing path is ignored.
     */
    InputFiles addTree(String role, Path path) throws IOException {
        if (path == null || !Files.exists(path)) {
            return this;
        }
        if (!Files.isDirectory(path)) {
            return add(role, path);
        }
        try (Stream<Path> tree = Files.walk(path, FileVisitOption.FOLLOW_LINKS)) {
            tree.filter(Files::isRegularFile).sorted().forEach(file -> add("a file in the " + role + " folder '" + path + "'", file));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return this;
    }

    /** Returns the input that {@code output} names after resolving links, if any. */
    Optional<InputFile> find(Path output) {
        Path real = realPath(output);
        return files.stream().filter(file -> file.realPath().equals(real)).findFirst();
    }

    /**
     * Returns the absolute path with every link resolved. For a file that does not exist yet, it
     * returns the resolved path of the nearest existing folder followed by the remaining names.
     */
    static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath();
        try {
            if (Files.exists(absolute)) {
                return absolute.toRealPath();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to resolve " + absolute, e);
        }
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            return absolute.normalize();
        }
        return realPath(parent).resolve(absolute.getFileName()).normalize();
    }
}

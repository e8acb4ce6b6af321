package dev.quantfleet.engine.external;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads package descriptions from the dpkg status database ({@code /var/lib/dpkg/status} on
 * Debian and Ubuntu), a file of RFC 822 style stanzas separated by blank lines. Field values
 * continue on lines that start with a space or tab. In {@code Description}, a continuation line
 * holding only {@code " ."} separates paragraphs. APT's {@code Translation-en} files use the same
 * format with the field {@code Description-en}, see {@link AptTranslations}.
 */
public final class DpkgStatus {

    /** Location of the status database on Debian-based systems. */
    public static final Path DEFAULT_PATH = Path.of("/var/lib/dpkg/status");

    /** The field of the status database that contains the synopsis and the extended description. */
    public static final String DESCRIPTION_FIELD = "Description";

    private DpkgStatus() {
    }

    /**
     * Returns the description of every stanza that has both {@code Package} and
     * {@code Description}, sorted by package name and then synopsis, without duplicates (the
     * same package installed for two architectures appears once).
     *
     * @throws NoSuchFileException when {@code statusFile} does not exist
     */
    public static List<PackageDescription> readDescriptions(Path statusFile) throws IOException {
        // InputStreamReader replaces malformed bytes instead of failing, since a few
        // third-party packages write Latin-1 descriptions.
        try (Reader reader = new InputStreamReader(Files.newInputStream(statusFile), StandardCharsets.UTF_8)) {
            return parseDescriptions(new BufferedReader(reader));
        }
    }

    /** Parses status text from {@code reader}; see {@link #readDescriptions(Path)}. */
    public static List<PackageDescription> parseDescriptions(BufferedReader reader) throws IOException {
        return parseDescriptions(reader, DESCRIPTION_FIELD);
    }

    /**
     * Parses stanzas from {@code reader} as {@link #readDescriptions(Path)} does, taking the
     * description from the field {@code descriptionField} (matched ignoring case), e.g.
     * {@code Description-en} in a {@code Translation-en} file.
     */
    public static List<PackageDescription> parseDescriptions(BufferedReader reader, String descriptionField)
            throws IOException {
        Set<PackageDescription> descriptions = new LinkedHashSet<>();
        StanzaBuilder stanza = new StanzaBuilder(descriptionField);
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                stanza.finish(descriptions);
                stanza = new StanzaBuilder(descriptionField);
            } else {
                stanza.accept(line);
            }
        }
        stanza.finish(descriptions);
        List<PackageDescription> sorted = new ArrayList<>(descriptions);
        sorted.sort(Comparator.comparing(PackageDescription::packageName)
                .thenComparing(PackageDescription::synopsis)
                .thenComparing(PackageDescription::extendedDescription));
        return sorted;
    }

    /** Collects the fields of one stanza that matter here. */
    private static final class StanzaBuilder {
        private final String descriptionField;
        private String packageName;
        private String synopsis;
        private final List<String> extendedLines = new ArrayList<>();
        private boolean inDescription;

        StanzaBuilder(String descriptionField) {
            this.descriptionField = descriptionField;
        }

        void accept(String line) {
            boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
            if (continuation) {
                if (inDescription) {
                    extendedLines.add(line.strip());
                }
                return;
            }
            inDescription = false;
            int colon = line.indexOf(':');
            if (colon < 0) {
                return;
            }
            String field = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            if (field.equalsIgnoreCase("Package")) {
                packageName = value;
            } else if (field.equalsIgnoreCase(descriptionField)) {
                synopsis = value;
                inDescription = true;
            }
        }

        void finish(Set<PackageDescription> descriptions) {
            if (packageName == null || synopsis == null || synopsis.isEmpty()) {
                return;
            }
            descriptions.add(new PackageDescription(packageName, synopsis, joinExtended()));
        }

        private String joinExtended() {
            StringBuilder text = new StringBuilder();
            for (String line : extendedLines) {
                if (line.equals(".")) {
                    continue;
                }
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(line);
            }
            return text.toString().replaceAll("\\s+", " ");
        }
    }
}

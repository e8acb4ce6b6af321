package dev.quantfleet.engine.external;

/**
 * The {@code Description} field of one Debian package: the one-line synopsis and the extended
 * description that follows it, with paragraphs and lines joined by single spaces.
 *
 * @param packageName         the {@code Package} field
 * @param synopsis            the first line of {@code Description}, never blank
 * @param extendedDescription the continuation lines as one line; empty when the package has none
 */
public record PackageDescription(String packageName, String synopsis, String extendedDescription) {

    /** Returns the synopsis, followed by the extended description when {@code withExtended} is set. */
    public String text(boolean withExtended) {
        if (!withExtended || extendedDescription.isEmpty()) {
            return synopsis;
        }
        return synopsis + ". " + extendedDescription;
    }
}

package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.CoordinatorClient;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/** The {@code --coordinator} option of the commands that talk to a running fleet. */
final class FleetConnectionOptions {

    /** Environment variable with the coordinator's URL, read when {@code --coordinator} is not given. */
    static final String COORDINATOR_VARIABLE = "QUANTFLEET_COORDINATOR";
    /** Environment variable with the bearer token of the coordinator's API; kept off the command line. */
    static final String TOKEN_VARIABLE = "QUANTFLEET_TOKEN";
    static final String DEFAULT_COORDINATOR = "http://127.0.0.1:8080";

    @Option(names = "--coordinator", paramLabel = "URL",
            description = "Root URL of the coordinator's REST API (default: $" + COORDINATOR_VARIABLE + ", else "
                    + DEFAULT_COORDINATOR + "). A token for its API is read from $" + TOKEN_VARIABLE + ".")
    String coordinator;

    /**
     * Returns the client of the coordinator at {@code --coordinator}, {@code $QUANTFLEET_COORDINATOR}
     * or the default.
     *
     * @throws InvalidInputException when the URL is not an http or https URL with a host
     */
    CoordinatorClient client(Map<String, String> environment) {
        String url = coordinator;
        String source = "--coordinator";
        if (url == null) {
            url = environment.getOrDefault(COORDINATOR_VARIABLE, DEFAULT_COORDINATOR);
            source = environment.containsKey(COORDINATOR_VARIABLE) ? "$" + COORDINATOR_VARIABLE : "--coordinator";
        }
        String token = environment.get(TOKEN_VARIABLE);
        return new CoordinatorClient(requireHttpUrl(source, url), token == null || token.isBlank() ? null : token);
    }

    static URI requireHttpUrl(String source, String url) {
        try {
            URI uri = new URI(url.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Reported below with the expected form.
        }
        throw new InvalidInputException("Invalid value for " + source + ": '" + url + "'; give an http or https URL "
                + "with a host, such as " + DEFAULT_COORDINATOR);
    }
}

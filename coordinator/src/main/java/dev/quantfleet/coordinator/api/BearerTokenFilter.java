package dev.quantfleet.coordinator.api;

import dev.quantfleet.coordinator.service.CoordinatorConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Requires {@code Authorization: Bearer <quantfleet.api.token>} on every REST endpoint when the
 * token is set, and returns 401 otherwise. Health, metrics and OpenAPI under {@code /q} are not
 * REST endpoints and stay open. Tokens are compared with {@link MessageDigest#isEqual}, whose
 * time does not depend on where two tokens of equal length differ.
 */
public class BearerTokenFilter {

    private static final String BEARER = "Bearer ";

    private final Optional<String> token;

    public BearerTokenFilter(CoordinatorConfig config) {
        this.token = config.api().token().filter(value -> !value.isBlank());
    }

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext context) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String header = context.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.startsWith(BEARER) && MessageDigest.isEqual(
                header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("reasons", List.of("Missing or wrong bearer token; send"
                        + " 'Authorization: Bearer <token>' with the token set in quantfleet.api.token")))
                .build());
    }
}

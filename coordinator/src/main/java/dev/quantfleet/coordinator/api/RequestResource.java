package dev.quantfleet.coordinator.api;

import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.WireFormatException;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.coordinator.kafka.CoordinatorRuntime;
import dev.quantfleet.coordinator.search.RequestStatus;
import dev.quantfleet.coordinator.search.StatusBoard;
import dev.quantfleet.coordinator.service.CoordinatorService;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The coordinator's REST API. A submitted request is checked for structure and for the fields
 * that need no download (strategy, metric, pool, budget), then sent to {@code quantfleet.requests};
 * the artifact and data checks follow in the search loop, and a failure there ends the request
 * REJECTED.
 */
@Path("/requests")
@Produces(MediaType.APPLICATION_JSON)
public class RequestResource {

    private final CoordinatorService service;

    public RequestResource(CoordinatorService service) {
        this.service = service;
    }

    /** Accepts a QuantizationRequest: 202 with its id, 400 with the reasons, 503 when the loop is off. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submits a QuantizationRequest",
            description = "The body is a QuantizationRequest as docs/wire-format.md describes it. The fields that"
                    + " need no download are checked here; the artifacts and the data are checked next, and a"
                    + " failure there ends the request REJECTED.")
    @APIResponse(responseCode = "202", description = "Accepted; the body is {\"requestId\": ...}.")
    @APIResponse(responseCode = "400", description = "Invalid request; the body is {\"reasons\": [...]}.")
    @APIResponse(responseCode = "503", description = "The search loop is disabled (quantfleet.enabled=false).")
    public Response submit(String body) {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        QuantizationRequest request;
        try {
            request = WireJson.fromBytes(payload, QuantizationRequest.class);
        } catch (WireFormatException e) {
            return problem(List.of(e.getMessage()));
        }
        List<String> reasons = service.fieldValidator().checkFields(request);
        if (!reasons.isEmpty()) {
            return problem(reasons);
        }
        Optional<CoordinatorRuntime> runtime = service.runtime();
        if (runtime.isEmpty()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .entity(Map.of("reasons", List.of("The search loop is disabled (quantfleet.enabled=false);"
                            + " enable it to run requests"))).build();
        }
        service.board().onSubmitted(request.requestId());
        runtime.get().publisher().publishRequest(request.requestId(), payload);
        return Response.accepted(Map.of("requestId", request.requestId())).build();
    }

    /** Returns the kept requests, newest first. */
    @GET
    @Operation(summary = "Lists the kept requests, newest first",
            description = "The coordinator keeps the statuses of the last quantfleet.api.recent-requests requests"
                    + " that it saw since it started.")
    public List<RequestStatus> recent() {
        return service.board().recent();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Returns the status of one request",
            description = "Progress while the request runs. Once it is COMPLETED, promoted contains the winner's model.onnx"
                    + " (absent without a winner) and the report.json and report.html, each with bucket, key, sha256"
                    + " and sizeBytes; REJECTED lists rejectionReasons.")
    @APIResponse(responseCode = "200", description = "The request's status.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RequestStatus.class)))
    @APIResponse(responseCode = "404", description = "The request is unknown or no longer kept.")
    public Response status(@PathParam("id") String requestId) {
        return service.board().find(requestId)
                .map(status -> Response.ok(status).build())
                .orElseGet(() -> notFound(requestId));
    }

    /** Returns the report.json of a COMPLETED request. */
    @GET
    @Path("/{id}/report")
    @Operation(summary = "Returns the report.json of a COMPLETED request")
    @APIResponse(responseCode = "200", description = "The report; docs/report-schema.md describes its fields.")
    @APIResponse(responseCode = "404", description = "The request is unknown, not kept, or has no report.")
    public Response report(@PathParam("id") String requestId) {
        Optional<RequestStatus> status = service.board().find(requestId);
        if (status.isEmpty()) {
            return notFound(requestId);
        }
        if (status.get().report() == null) {
            return Response.status(Response.Status.NOT_FOUND).entity(Map.of("reasons", List.of("Request " + requestId
                    + " has no report; it is " + status.get().state() + ". A report exists once it is COMPLETED")))
                    .build();
        }
        return Response.ok(service.store().readBytes(status.get().report()), MediaType.APPLICATION_JSON).build();
    }

    /**
     * Streams the request's status as server-sent events: the current status first, then every
     * change, until it is COMPLETED or REJECTED; 404 for a request that is not kept.
     */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Streams the status of one request as server-sent events",
            description = "Each event's data is the request's status as GET /requests/{id} returns it: the current"
                    + " status first, then one event per change. The stream ends after the COMPLETED or REJECTED"
                    + " status. A client that loses the stream reconnects and gets the current status again.")
    @APIResponse(responseCode = "200", description = "A text/event-stream of request statuses.",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = RequestStatus.class)))
    @APIResponse(responseCode = "404", description = "The request is unknown or no longer kept.")
    public Multi<RequestStatus> events(@PathParam("id") String requestId) {
        StatusBoard board = service.board();
        if (board.find(requestId).isEmpty()) {
            throw new NotFoundException(notFound(requestId));
        }
        return Multi.createFrom().emitter(emitter -> {
            Consumer<RequestStatus> subscriber = status -> {
                if (status.requestId().equals(requestId)) {
                    emitter.emit(status);
                    if (status.finished()) {
                        emitter.complete();
                    }
                }
            };
            board.subscribe(subscriber);
            emitter.onTermination(() -> board.unsubscribe(subscriber));
            board.find(requestId).ifPresent(status -> {
                emitter.emit(status);
                if (status.finished()) {
                    emitter.complete();
                }
            });
        });
    }

    private static Response problem(List<String> reasons) {
        return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("reasons", reasons)).build();
    }

    private static Response notFound(String requestId) {
        return Response.status(Response.Status.NOT_FOUND)
                .entity(Map.of("reasons", List.of("Request " + requestId + " is unknown; GET /requests lists the"
                        + " recent ones"))).build();
    }
}

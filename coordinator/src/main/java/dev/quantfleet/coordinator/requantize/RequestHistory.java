package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.OutcomeWinner;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestLineage;
import dev.quantfleet.common.messages.SearchOutcome;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The requests and outcomes of the fleet as read from {@code quantfleet.requests} and
 * {@code quantfleet.outcomes}, to find the last finished search of a model and the model events
 * that already have a request. Not thread-safe: one thread adds and queries.
 */
public final class RequestHistory {

    private final Map<String, Arrival> requests = new HashMap<>();
    private final Map<String, SearchOutcome> outcomes = new HashMap<>();
    private final Map<String, String> requestIdByEventId = new HashMap<>();
    private long arrivals;

    /** A request and when it arrived: its record timestamp, then the order in which this history saw it. */
    private record Arrival(QuantizationRequest request, long timestampMs, long order) {
    }

    /**
     * The last finished search of a model.
     *
     * @param request the request
     * @param winner  the winner of its COMPLETED outcome
     */
    public record FinishedSearch(QuantizationRequest request, OutcomeWinner winner) {
    }

    /** Adds {@code request}; a request id seen before keeps its first request. */
    public void addRequest(QuantizationRequest request, long timestampMs) {
        if (requests.putIfAbsent(request.requestId(), new Arrival(request, timestampMs, arrivals)) != null) {
            return;
        }
        arrivals++;
        RequestLineage lineage = request.lineage();
        if (lineage != null) {
            requestIdByEventId.putIfAbsent(lineage.eventId(), request.requestId());
        }
    }

    /** Adds {@code outcome}; the first outcome of a request id counts. */
    public void addOutcome(SearchOutcome outcome) {
        outcomes.putIfAbsent(outcome.requestId(), outcome);
    }

    /** Returns the id of the request that the model event {@code eventId} started, if one did. */
    public Optional<String> requestOfEvent(String eventId) {
        return Optional.ofNullable(requestIdByEventId.get(eventId));
    }

    /** Returns how many requests of {@code modelName} this history contains. */
    public long requestCount(String modelName) {
        return requestsOf(modelName).size();
    }

    /**
     * Returns the latest request of {@code modelName} whose outcome is COMPLETED with a winner:
     * latest by record timestamp, then by the order read. Requests still running, rejected, or
     * without a winner are passed over.
     */
    public Optional<FinishedSearch> lastFinishedSearch(String modelName) {
        return requestsOf(modelName).stream()
                .filter(arrival -> winnerOf(arrival.request().requestId()).isPresent())
                .max(Comparator.comparingLong(Arrival::timestampMs).thenComparingLong(Arrival::order))
                .map(arrival -> new FinishedSearch(arrival.request(),
                        winnerOf(arrival.request().requestId()).orElseThrow()));
    }

    private List<Arrival> requestsOf(String modelName) {
        return requests.values().stream().filter(arrival -> arrival.request().model().name().equals(modelName))
                .toList();
    }

    private Optional<OutcomeWinner> winnerOf(String requestId) {
        SearchOutcome outcome = outcomes.get(requestId);
        if (outcome == null || outcome.status() != OutcomeStatus.COMPLETED) {
            return Optional.empty();
        }
        return Optional.ofNullable(outcome.winner());
    }
}

package dev.quantfleet.coordinator.intake;

import java.util.List;

/**
 * The result of validating a request: accepted with the prepared search, or rejected with the
 * reasons, each naming the problem and its fix.
 */
public record IntakeDecision(AcceptedRequest accepted, List<String> reasons) {

    public IntakeDecision {
        reasons = List.copyOf(reasons);
        if ((accepted == null) == reasons.isEmpty()) {
            throw new IllegalArgumentException("A decision is either accepted or has rejection reasons");
        }
    }

    public static IntakeDecision accept(AcceptedRequest accepted) {
        return new IntakeDecision(accepted, List.of());
    }

    public static IntakeDecision reject(List<String> reasons) {
        return new IntakeDecision(null, reasons);
    }

    public boolean isAccepted() {
        return accepted != null;
    }
}

package dev.quantfleet.coordinator.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the search loop resumed the open searches, or at once when the loop is disabled. */
@Readiness
@ApplicationScoped
public class CoordinatorReadiness implements HealthCheck {

    private final CoordinatorService service;

    public CoordinatorReadiness(CoordinatorService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = service.runtime().map(runtime -> runtime.ready()).orElse(true);
        return HealthCheckResponse.named("coordinator-loop").status(ready).build();
    }
}

package dev.quantfleet.worker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Health checks of the worker: live while the task loop thread runs, ready while it polls and Kafka responds. */
public final class WorkerHealth {

    private WorkerHealth() {
    }

    /** Down when the task loop thread stopped, e.g. on an error, so that the platform restarts the worker. */
    @Liveness
    @ApplicationScoped
    public static class LoopAlive implements HealthCheck {

        @Inject
        WorkerService service;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("task-loop-alive").status(service.loopAlive()).build();
        }
    }

    /** Up when the task loop polls its topic and the Kafka cluster responds. */
    @Readiness
    @ApplicationScoped
    public static class LoopReady implements HealthCheck {

        @Inject
        WorkerService service;

        @Override
        public HealthCheckResponse call() {
            boolean polling = service.loopPolling();
            boolean kafka = service.kafkaReachable();
            return HealthCheckResponse.named("task-loop-ready").status(polling && kafka)
                    .withData("polling", polling).withData("kafkaReachable", kafka)
                    .withData("busy", service.busy()).build();
        }
    }
}

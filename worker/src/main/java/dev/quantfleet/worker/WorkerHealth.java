package dev.quantfleet.worker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.Optional;

/**
 * Health checks of the worker: live while the task loop thread runs, ready while it polls and
 * Kafka responds. A worker kept from starting by an invalid setting is live but not ready.
 */
public final class WorkerHealth {

    private WorkerHealth() {
    }

    /**
     * Down when the task loop thread stopped, e.g. on an error, or when the runner thread of a
     * task stopped at its time limit still runs, so that the platform restarts the worker. Up
     * when an invalid setting kept the loop from starting, because a restart would not help.
     */
    @Liveness
    @ApplicationScoped
    public static class LoopAlive implements HealthCheck {

        @Inject
        WorkerService service;

        @Override
        public HealthCheckResponse call() {
            Optional<String> invalidSetting = service.invalidSetting();
            int abandoned = service.abandonedTasksRunning();
            HealthCheckResponseBuilder response = HealthCheckResponse.named("task-loop-alive")
                    .status(invalidSetting.isPresent() || (service.loopAlive() && abandoned == 0))
                    .withData("abandonedTasksRunning", abandoned);
            invalidSetting.ifPresent(error -> response.withData("invalidSetting", error));
            return response.build();
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
            Optional<String> invalidSetting = service.invalidSetting();
            if (invalidSetting.isPresent()) {
                return HealthCheckResponse.named("task-loop-ready").down()
                        .withData("invalidSetting", invalidSetting.get()).build();
            }
            boolean polling = service.loopPolling();
            boolean kafka = service.kafkaReachable();
            return HealthCheckResponse.named("task-loop-ready").status(polling && kafka)
                    .withData("polling", polling).withData("kafkaReachable", kafka)
                    .withData("busy", service.busy()).build();
        }
    }
}

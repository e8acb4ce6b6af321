package dev.quantfleet.fleet;

import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.engine.search.TaskKind;
import dev.quantfleet.worker.tasks.TaskProcessor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds every CALIBRATE task before it runs until {@link #release} or the worker's loop
 * interrupts it, like a calibration that takes minutes on a large model. Every other task runs
 * normally. Share one instance between all workers.
 */
final class HoldCalibration implements FleetWorker.TaskInterceptor {

    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicReference<String> heldTaskId = new AtomicReference<>();

    /** Returns the id of the CALIBRATE task held, or null before one arrived. */
    String heldTaskId() {
        return heldTaskId.get();
    }

    /** Lets every held task run. */
    void release() {
        released.countDown();
    }

    @Override
    public TaskResult process(Task task, long queuedAtMs, TaskProcessor processor, FleetWorker worker) {
        if (task.kind() == TaskKind.CALIBRATE) {
            heldTaskId.set(task.taskId());
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return processor.process(task, queuedAtMs);
    }
}

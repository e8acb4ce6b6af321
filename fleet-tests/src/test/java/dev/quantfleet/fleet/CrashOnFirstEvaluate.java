package dev.quantfleet.fleet;

import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.engine.search.TaskKind;
import dev.quantfleet.worker.tasks.TaskProcessor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Disturbs the worker that receives the first EVALUATE task of the fleet, in the middle of that
 * task. The task runs and uploads its quantized model, and then:
 * <ul>
 *   <li>{@link Mode#KILL}: the worker is killed ({@link FleetWorker#kill}) and the task thread
 *       waits until the loop interrupts it, so the result is never published and the offset
 *       never committed;</li>
 *   <li>{@link Mode#HANG}: the task thread waits until the loop is closed, like a task stuck in a
 *       native call. The worker's loop goes on polling, so it keeps its partitions.</li>
 * </ul>
 * Every other task runs normally. Share one instance between all workers.
 */
final class CrashOnFirstEvaluate implements FleetWorker.TaskInterceptor {

    /** What happens to the worker. */
    enum Mode { KILL, HANG }

    private final Mode mode;

    CrashOnFirstEvaluate(Mode mode) {
        this.mode = mode;
    }

    /** The task and worker of the crash. */
    record Crash(String taskId, String workerId) {
    }

    private final AtomicReference<Crash> crash = new AtomicReference<>();

    /** Returns the crash, or null before it happened. */
    Crash crash() {
        return crash.get();
    }

    @Override
    public TaskResult process(Task task, long queuedAtMs, TaskProcessor processor, FleetWorker worker) {
        if (task.kind() != TaskKind.EVALUATE
                || !crash.compareAndSet(null, new Crash(task.taskId(), worker.workerId()))) {
            return processor.process(task, queuedAtMs);
        }
        TaskResult lost = processor.process(task, queuedAtMs);
        if (mode == Mode.KILL) {
            worker.kill();
        }
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lost;
    }
}

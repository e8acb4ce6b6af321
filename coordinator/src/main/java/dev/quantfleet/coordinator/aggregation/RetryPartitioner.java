package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.messages.Task;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Places attempt {@code n} of a re-sent task on partition
 * {@code (toPositive(murmur2(task id)) + n - 1) mod partitions} of its pool's topic. The
 * coordinator sends attempt 1 keyed by task id through the producer's default partitioner, which
 * picks {@code toPositive(murmur2(task id)) mod partitions}, so every retry moves on to the next
 * partition while the record key stays the task id.
 *
 * <p>Why: a worker whose task hangs goes on polling with its partitions paused, so it stays in
 * the consumer group and keeps them. A retry on the same partition would wait behind the hung
 * task for every attempt and then time out, although other workers are idle.
 */
final class RetryPartitioner implements StreamPartitioner<String, Task> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String taskId, Task task, int partitionCount) {
        int firstPartition = Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8)));
        int partition = (int) Math.floorMod((long) firstPartition + task.attempt() - 1, (long) partitionCount);
        return Optional.of(Set.of(partition));
    }
}

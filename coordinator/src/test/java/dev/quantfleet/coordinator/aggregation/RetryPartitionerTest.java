package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.messages.Task;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPartitionerTest {

    private static final int PARTITIONS = 3;

    @Test
    void attemptsRotateFromProducerPartition() {
        Task first = RoundMessages.roundZeroTasks("req-retry", "cpu", 1_000L).get(0);
        int producerPartition = BuiltInPartitioner.partitionForKey(first.taskId().getBytes(StandardCharsets.UTF_8),
                PARTITIONS);
        RetryPartitioner partitioner = new RetryPartitioner();

        List<Integer> partitions = new ArrayList<>();
        Task task = first;
        for (int attempt = 1; attempt <= PARTITIONS + 1; attempt++) {
            assertThat(task.attempt()).isEqualTo(attempt);
            Set<Integer> chosen = partitioner.partitions(first.topic(), task.taskId(), task, PARTITIONS).orElseThrow();
            assertThat(chosen).hasSize(1);
            partitions.add(chosen.iterator().next());
            task = task.nextAttempt();
        }

        assertThat(partitions.get(0)).as("attempt 1, where the coordinator's producer puts it")
                .isEqualTo(producerPartition);
        assertThat(partitions.subList(0, PARTITIONS)).as("attempts 1 to %s", PARTITIONS)
                .containsExactlyInAnyOrder(0, 1, 2);
        assertThat(partitions.get(PARTITIONS)).isEqualTo(producerPartition);
    }

    @Test
    void singlePartitionTakesEveryAttempt() {
        Task task = RoundMessages.roundZeroTasks("req-retry", "cpu", 1_000L).get(1);
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(new RetryPartitioner().partitions(task.topic(), task.taskId(), task, 1)).contains(Set.of(0));
            task = task.nextAttempt();
        }
    }
}

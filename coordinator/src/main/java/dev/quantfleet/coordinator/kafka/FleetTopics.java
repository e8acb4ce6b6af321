package dev.quantfleet.coordinator.kafka;

import dev.quantfleet.common.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Creates the fleet's topics that are missing. */
public final class FleetTopics {

    private FleetTopics() {
    }

    /**
     * Returns every topic of the fleet: those the coordinator reads or writes, model events
     * included, one task topic per pool, and the dead letter topic the workers write.
     */
    public static List<String> names(List<String> pools) {
        List<String> names = new ArrayList<>(List.of(Topics.REQUESTS, Topics.RESULTS, Topics.ROUND_PLANS,
                Topics.ROUNDS, Topics.OUTCOMES, Topics.MODEL_EVENTS, Topics.TASKS_DLQ));
        pools.forEach(pool -> names.add(Topics.tasks(pool)));
        return names;
    }

    /**
     * Creates the topics of {@link #names} that do not exist yet.
     *
     * @throws IllegalStateException if the broker cannot list or create them
     */
    public static void createMissing(Admin admin, List<String> pools, int partitions, short replicationFactor) {
        try {
            Set<String> existing = new HashSet<>(admin.listTopics().names().get());
            List<NewTopic> missing = names(pools).stream().filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, partitions, replicationFactor)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the fleet's topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Failed to create the fleet's topics " + names(pools) + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}

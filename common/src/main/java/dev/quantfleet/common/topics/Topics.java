package dev.quantfleet.common.topics;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Kafka topics of the fleet, with the key and value each one carries. Values are the JSON
 * records of {@code dev.quantfleet.common.messages}, written by {@code WireJson}.
 *
 * <pre>
 * topic                      key           value
 * quantfleet.requests        request id    QuantizationRequest
 * quantfleet.tasks.&lt;pool&gt;    task id       Task
 * quantfleet.results         request id    TaskResult
 * quantfleet.rounds          request id    RoundCompleted
 * quantfleet.outcomes        request id    SearchOutcome
 * quantfleet.model-events    model name    ModelVersionPublished, or an S3 bucket notification
 * quantfleet.tasks.dlq       task id       DeadLetter
 * </pre>
 */
public final class Topics {

    /** Search requests from users (Kafka, REST or command line). */
    public static final String REQUESTS = "quantfleet.requests";

    /** Prefix of the per-pool task topics; {@link #tasks(String)} appends the pool name. */
    public static final String TASKS_PREFIX = "quantfleet.tasks.";

    /** Results of finished tasks, keyed by request id so that one partition sees a whole request. */
    public static final String RESULTS = "quantfleet.results";

    /** One record per closed round of a request. */
    public static final String ROUNDS = "quantfleet.rounds";

    /** Key: request id. Value: {@code RoundOpened}, the tasks and deadline of a round, for the aggregator. */
    public static final String ROUND_PLANS = "quantfleet.round-plans";

    /** One final record per request: the search result, or the rejection of the request. */
    public static final String OUTCOMES = "quantfleet.outcomes";

    /** New model versions, from producers or from S3 bucket notifications. */
    public static final String MODEL_EVENTS = "quantfleet.model-events";

    /** Tasks that failed on every attempt, with the last reason. */
    public static final String TASKS_DLQ = TASKS_PREFIX + "dlq";

    /** The pool of a request that names none. */
    public static final String DEFAULT_POOL = "cpu";

    /** Pool names that would make a task topic collide with another topic. */
    public static final List<String> RESERVED_POOL_NAMES = List.of("dlq");

    /** Maximum length of a pool name, which keeps every task topic well below Kafka's 249 characters. */
    public static final int MAX_POOL_NAME_LENGTH = 32;

    private static final Pattern POOL_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private Topics() {
    }

    /** Returns the task topic of {@code pool}, e.g. {@code quantfleet.tasks.cpu}, after checking the pool name. */
    public static String tasks(String pool) {
        return TASKS_PREFIX + checkPoolName(pool);
    }

    /**
     * Returns the pool whose task topic {@code topic} is, or empty when {@code topic} is not a task
     * topic (the dead letter topic included).
     */
    public static Optional<String> poolOf(String topic) {
        if (topic == null || !topic.startsWith(TASKS_PREFIX)) {
            return Optional.empty();
        }
        String pool = topic.substring(TASKS_PREFIX.length());
        return isValidPoolName(pool) ? Optional.of(pool) : Optional.empty();
    }

    /**
     * Returns {@code pool} when it is a valid pool name: 1 to {@value #MAX_POOL_NAME_LENGTH}
     * lower-case letters, digits and hyphens, starting with a letter or digit, and not reserved.
     *
     * @throws IllegalArgumentException naming the value and the rule otherwise
     */
    public static String checkPoolName(String pool) {
        if (pool == null) {
            throw new IllegalArgumentException("Pool name is missing; give one such as '" + DEFAULT_POOL + "'");
        }
        if (!isValidPoolName(pool)) {
            throw new IllegalArgumentException("Invalid pool name '" + pool + "': use 1 to " + MAX_POOL_NAME_LENGTH
                    + " lower-case letters, digits and hyphens, starting with a letter or digit, other than "
                    + RESERVED_POOL_NAMES + ", e.g. 'cpu' or 'rocm'");
        }
        return pool;
    }

    /** Returns whether {@code pool} passes {@link #checkPoolName}. */
    public static boolean isValidPoolName(String pool) {
        return pool != null && pool.length() <= MAX_POOL_NAME_LENGTH && POOL_NAME.matcher(pool).matches()
                && !RESERVED_POOL_NAMES.contains(pool);
    }
}

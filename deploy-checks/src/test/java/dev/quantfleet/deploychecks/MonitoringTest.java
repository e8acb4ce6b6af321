package dev.quantfleet.deploychecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.worker.WorkerMetricNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Prometheus scrape settings and the Grafana dashboard: every service is scraped on
 * the path it serves, and every metric that the dashboard queries is one that a service really
 * exports. The worker's metric names come from a scrape of the real WorkerMetrics.
 */
class MonitoringTest {

    /**
     * Consumer group metrics of kafka-exporter (danielqsj/kafka-exporter, README "Metrics"),
     * the only metrics the dashboard takes from outside Quantfleet.
     */
    private static final Set<String> KAFKA_EXPORTER_METRICS = Set.of("kafka_consumergroup_current_offset",
            "kafka_consumergroup_current_offset_sum", "kafka_consumergroup_lag", "kafka_consumergroup_lag_sum",
            "kafka_consumergroup_members");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "and", "or", "unless");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern GROUP_MATCHER = Pattern.compile("consumergroup=~\"([^\"]+)\"");
    private static final Pattern TOPIC_MATCHER = Pattern.compile("topic=~\"([^\"]+)\"");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void quarkusServicesKeepTheDefaultEndpoints() {
        for (String module : List.of("worker", "coordinator")) {
            Properties properties = ProjectFiles.applicationProperties(module);
            assertThat(properties.stringPropertyNames()).as(module + " application.properties, whose "
                    + "endpoints the deployment files take as " + FleetNames.METRICS_PATH + " and /q/health")
                    .noneMatch(key -> key.startsWith("quarkus.smallrye-health.")
                            || key.startsWith("quarkus.micrometer.export.prometheus.")
                            || key.equals("quarkus.http.root-path")
                            || key.equals("quarkus.http.non-application-root-path")
                            || key.equals("quarkus.http.port"));
        }
    }

    @Test
    void prometheusScrapesEveryServiceOfTheComposeFile() {
        List<Map<String, Object>> jobs = scrapeConfigs();
        ComposeFile compose = ComposeFile.read();
        String httpPort = Images.dockerfileOf("quantfleet/worker").runtime().environment().get("QUARKUS_HTTP_PORT");

        Map<String, Object> coordinator = job(jobs, "quantfleet-coordinator");
        assertThat(Maps.text(coordinator, "metrics_path")).as("coordinator metrics path")
                .isEqualTo(FleetNames.METRICS_PATH);
        assertThat(targets(coordinator)).as("coordinator targets").containsExactly("coordinator:" + httpPort);

        Map<String, Object> worker = job(jobs, "quantfleet-worker");
        assertThat(Maps.text(worker, "metrics_path")).as("worker metrics path").isEqualTo(FleetNames.METRICS_PATH);
        assertThat(worker).as("worker job, which must find every scaled replica").doesNotContainKey("static_configs");
        assertThat(Maps.list(worker, "dns_sd_configs")).as("worker DNS discovery").singleElement().satisfies(dns -> {
            assertThat(Maps.list(dns, "names")).containsExactly("worker");
            assertThat(Maps.text(dns, "port")).isEqualTo(httpPort);
        });
        assertThat(Maps.list(worker, "relabel_configs")).as("worker relabeling, which sets the pool label")
                .anySatisfy(rule -> {
                    assertThat(Maps.text(rule, "target_label")).isEqualTo("pool");
                    assertThat(Maps.text(rule, "replacement"))
                            .isEqualTo(compose.variable("worker", "QUANTFLEET_WORKER_POOL").orElseThrow());
                });

        Set<String> scrapedServices = new TreeSet<>();
        jobs.forEach(job -> targets(job).forEach(target -> scrapedServices.add(target.replaceAll(":.*", ""))));
        scrapedServices.add("worker");
        scrapedServices.add("prometheus");
        scrapedServices.remove("localhost");
        Set<String> longRunning = new TreeSet<>();
        compose.services().forEach((name, service) -> {
            if (!"no".equals(Maps.text(service, "restart")) && !name.equals("kafka")) {
                longRunning.add(name);
            }
        });
        assertThat(scrapedServices).as("services that Prometheus scrapes; Kafka's lag comes from kafka-exporter")
                .isEqualTo(longRunning);
    }

    @Test
    void workerServiceMonitorLabelsThePool() {
        GenericKubernetesResource monitor = Manifests.parse(ProjectFiles.read("k8s/base/service-monitors.yaml"),
                        "service-monitors.yaml").custom("ServiceMonitor").stream()
                .filter(candidate -> "worker".equals(Maps.text(candidate.getAdditionalProperties(), "spec",
                        "selector", "matchLabels", RenderedFleet.COMPONENT_LABEL)))
                .findFirst().orElseThrow(() -> new AssertionError("No ServiceMonitor selects the workers"));

        Object endpoint = Maps.list(monitor.getAdditionalProperties(), "spec", "endpoints").get(0);
        assertThat(Maps.list(endpoint, "relabelings")).as("relabelings of the workers' ServiceMonitor")
                .anySatisfy(rule -> {
                    assertThat(Maps.list(rule, "sourceLabels")).containsExactly("__meta_kubernetes_pod_label_"
                            + RenderedFleet.POOL_LABEL.replaceAll("[^a-zA-Z0-9]", "_"));
                    assertThat(Maps.text(rule, "targetLabel")).isEqualTo("pool");
                });
    }

    @Test
    void dashboardQueriesOnlyExportedMetrics(@TempDir Path cache) throws IOException {
        Set<String> workerMetrics = WorkerMetricNames.scrape(cache,
                WorkerMetricNames.task(WireExamples.first("Task")),
                WorkerMetricNames.result(WireExamples.first("TaskResult")));
        List<String> expressions = dashboardExpressions();

        assertThat(expressions).as("dashboard queries").isNotEmpty();
        for (String expression : expressions) {
            Set<String> metrics = metricNames(expression);
            assertThat(metrics).as("metrics of " + expression).isNotEmpty();
            for (String metric : metrics) {
                assertThat(workerMetrics.contains(metric) || KAFKA_EXPORTER_METRICS.contains(metric))
                        .as(metric + " in " + expression + ": neither the worker (" + workerMetrics
                                + ") nor kafka-exporter exports it").isTrue();
            }
        }
    }

    @Test
    void dashboardCoversTheWorkerPools() throws IOException {
        List<String> lagQueries = dashboardExpressions().stream().filter(expression ->
                expression.contains("kafka_consumergroup_lag")).toList();

        assertThat(lagQueries).as("queue lag queries").isNotEmpty();
        for (String query : lagQueries) {
            Matcher group = GROUP_MATCHER.matcher(query);
            Matcher topic = TOPIC_MATCHER.matcher(query);
            assertThat(group.find()).as("consumer group matcher of " + query).isTrue();
            assertThat(topic.find()).as("topic matcher of " + query).isTrue();
            for (String pool : List.of(Topics.DEFAULT_POOL, "rocm")) {
                assertThat(FleetNames.defaultWorkerGroup(pool)).as("group of pool " + pool)
                        .matches(unescape(group.group(1)));
                assertThat(Topics.tasks(pool)).as("task topic of pool " + pool).matches(unescape(topic.group(1)));
            }
            boolean excludesDeadLetters = query.contains("topic!=\"" + Topics.TASKS_DLQ + "\"")
                    || !Topics.TASKS_DLQ.matches(unescape(topic.group(1)));
            assertThat(excludesDeadLetters).as(query + " leaves out " + Topics.TASKS_DLQ + ", which is no pool's")
                    .isTrue();
        }
    }

    @Test
    void grafanaProvisioningFindsTheDashboard() throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> datasources = yaml.load(ProjectFiles.read(
                "deploy/grafana/provisioning/datasources/prometheus.yml"));
        Map<String, Object> providers = yaml.load(ProjectFiles.read(
                "deploy/grafana/provisioning/dashboards/quantfleet.yml"));
        JsonNode dashboard = json.readTree(ProjectFiles.read("deploy/grafana/dashboards/quantfleet.json"));
        List<Object> volumes = Maps.list(ComposeFile.read().service("grafana"), "volumes");

        String uid = Maps.text(Maps.list(datasources, "datasources").get(0), "uid");
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.has("targets")) {
                assertThat(panel.path("datasource").path("uid").asText()).as("data source of panel "
                        + panel.path("title").asText()).isEqualTo(uid);
            }
        }
        String path = Maps.text(Maps.list(providers, "providers").get(0), "options", "path");
        assertThat(volumes).as("Grafana volumes").contains("./deploy/grafana/dashboards:" + path + ":ro",
                "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    /** Returns the metric names in a PromQL expression: identifiers that are no function, keyword, label or string. */
    static Set<String> metricNames(String expression) {
        String stripped = STRING.matcher(expression).replaceAll("\"\"");
        stripped = GROUPING.matcher(stripped).replaceAll(" ");
        stripped = stripped.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            String name = identifier.group();
            boolean function = stripped.substring(identifier.end()).stripLeading().startsWith("(");
            if (!function && !PROMQL_WORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : json.readTree(ProjectFiles.read("deploy/grafana/dashboards/quantfleet.json"))
                .path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
            }
        }
        return expressions;
    }

    private static List<Map<String, Object>> scrapeConfigs() {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> config = yaml.load(ProjectFiles.read("deploy/prometheus/prometheus.yml"));
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Object job : Maps.list(config, "scrape_configs")) {
            jobs.add(Maps.map(job));
        }
        return jobs;
    }

    private static Map<String, Object> job(List<Map<String, Object>> jobs, String name) {
        return jobs.stream().filter(job -> name.equals(job.get("job_name"))).findFirst()
                .orElseThrow(() -> new AssertionError("prometheus.yml has no job " + name));
    }

    private static List<String> targets(Map<String, Object> job) {
        List<String> targets = new ArrayList<>();
        for (Object config : Maps.list(job, "static_configs")) {
            Maps.list(config, "targets").forEach(target -> targets.add(String.valueOf(target)));
        }
        return targets;
    }

    /** Turns a PromQL string literal's escaped regex ({@code quantfleet\\.tasks}) into the Java regex. */
    private static String unescape(String promqlRegex) {
        return promqlRegex.replace("\\\\", "\\");
    }
}

package dev.quantfleet.deploychecks;

import dev.quantfleet.common.messages.S3ObjectEvent;
import dev.quantfleet.common.topics.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders each overlay of k8s/overlays with {@code kubectl kustomize} and checks the manifests
 * against the fabric8 model and against what the services read: topics, consumer groups,
 * settings, ports and health paths come from the code (Topics, WorkerConfig, CoordinatorConfig)
 * and from the Dockerfiles, not from copies in this test.
 */
class KustomizeOverlayTest {

    static final String NAMESPACE = "quantfleet";
    static final Set<String> CUSTOM_KINDS = Set.of("ScaledObject", "TriggerAuthentication", "ServiceMonitor",
            "KafkaTopic");
    /** Secrets that the operator creates (README.md, Deploying). The manifests only refer to them. */
    private static final Set<String> EXTERNAL_SECRETS = Set.of("quantfleet-s3", "quantfleet-kafka", "quantfleet-api");
    /** Fields of a KEDA 2.x ScaledObject spec. */
    private static final Set<String> SCALED_OBJECT_FIELDS = Set.of("scaleTargetRef", "pollingInterval",
            "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount",
            "fallback", "advanced", "triggers");
    /** Metadata parameters of KEDA's 'kafka' scaler. */
    private static final Set<String> KAFKA_TRIGGER_PARAMETERS = Set.of("bootstrapServers", "consumerGroup", "topic",
            "lagThreshold", "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers",
            "scaleToZeroOnInvalidOffset", "excludePersistentLag", "version", "partitionLimitation",
            "limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions", "sasl", "tls", "unsafeSsl");
    private static final String GPU_RESOURCE = "amd.com/gpu";
    private static final String GPU_PROVIDER = "migraphx";
    private static final Map<String, RenderedFleet> RENDERED = new ConcurrentHashMap<>();

    static Stream<String> overlays() {
        return Stream.of("cpu", "amd-gpu");
    }

    /** Renders {@code k8s/overlays/<overlay>} once per test run, or skips the test when kubectl is missing. */
    static RenderedFleet render(String overlay) {
        Optional<Path> kubectl = Manifests.kubectl();
        assumeTrue(kubectl.isPresent(), "Skipping: kubectl is not on the PATH, so k8s/overlays/" + overlay
                + " is not rendered (RawManifestTest still parses every file under k8s/)");
        return RENDERED.computeIfAbsent(overlay, name -> new RenderedFleet(
                Manifests.render(kubectl.get(), ProjectFiles.resolve("k8s/overlays/" + name))));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void resourcesParseWithoutUnknownFields(String overlay) {
        RenderedFleet fleet = render(overlay);

        assertThat(fleet.manifests().all()).as("resources of " + overlay).isNotEmpty();
        for (HasMetadata resource : fleet.manifests().all()) {
            String id = id(resource);
            assertThat(UnknownFields.of(resource)).as("fields of " + id + " that the fabric8 model lacks").isEmpty();
            if (resource instanceof GenericKubernetesResource) {
                assertThat(CUSTOM_KINDS).as("custom resource kind of " + id).contains(resource.getKind());
            }
            if (!(resource instanceof Namespace)) {
                assertThat(resource.getMetadata().getNamespace()).as("namespace of " + id).isEqualTo(NAMESPACE);
            }
            assertThat(resource.getMetadata().getLabels()).as("labels of " + id)
                    .containsEntry("app.kubernetes.io/part-of", "quantfleet");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void containersHaveResourcesProbesAndNonRootUser(String overlay) {
        RenderedFleet fleet = render(overlay);

        for (Deployment deployment : fleet.manifests().ofType(Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            String name = deployment.getMetadata().getName();
            assertThat(pod.getAutomountServiceAccountToken()).as(name + " automountServiceAccountToken").isFalse();
            assertThat(pod.getEnableServiceLinks()).as(name + " enableServiceLinks").isFalse();
            assertThat(pod.getInitContainers()).as(name + " init containers").isEmpty();
            for (Container container : pod.getContainers()) {
                String where = name + "/" + container.getName();
                Dockerfile.Stage image = Images.dockerfileOf(container.getImage()).runtime();
                checkResources(container, where);
                checkProbes(container, image, where);
                checkSecurity(pod.getSecurityContext(), container, image, where);
                assertThat(container.getVolumeMounts()).as(where + " mounts: a read-only root needs a writable "
                        + "/tmp, where ONNX Runtime extracts its native library")
                        .extracting(VolumeMount::getMountPath).contains("/tmp");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void settingsAreOnesTheServicesRead(String overlay) {
        RenderedFleet fleet = render(overlay);

        for (Deployment worker : fleet.workers()) {
            checkSettings(fleet, worker, ServiceSettings.worker(), List.of("kafka.", "quarkus."));
        }
        checkSettings(fleet, fleet.coordinator(), ServiceSettings.coordinator(),
                List.of("kafka.", "kafka-streams.", "quarkus."));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyWorkerPoolScalesOnItsTaskTopic(String overlay) {
        RenderedFleet fleet = render(overlay);
        int partitions = Integer.parseInt(coordinatorSetting(fleet, "quantfleet.kafka.partitions"));

        assertThat(fleet.workers()).as("worker pools of " + overlay).isNotEmpty();
        for (Deployment worker : fleet.workers()) {
            String pool = RenderedFleet.pool(worker);
            String name = worker.getMetadata().getName();
            assertThat(fleet.setting(worker, "quantfleet.worker.pool")).as(name + " quantfleet.worker.pool")
                    .contains(pool);
            assertThat(worker.getSpec().getReplicas()).as(name + " replicas, which KEDA owns").isNull();

            GenericKubernetesResource scaled = fleet.scaledObjectOf(worker)
                    .orElseThrow(() -> new AssertionError("No ScaledObject targets " + name));
            Map<String, Object> spec = Maps.map(scaled.getAdditionalProperties(), "spec");
            assertThat(spec.keySet()).as("ScaledObject fields of " + name).isSubsetOf(SCALED_OBJECT_FIELDS);
            List<Object> triggers = Maps.list(spec, "triggers");
            assertThat(triggers).as("triggers of " + name).hasSize(1);
            assertThat(Maps.text(triggers.get(0), "type")).as("trigger type of " + name).isEqualTo("kafka");

            Map<String, Object> trigger = Maps.map(triggers.get(0), "metadata");
            assertThat(trigger.keySet()).as("kafka trigger parameters of " + name)
                    .isSubsetOf(KAFKA_TRIGGER_PARAMETERS);
            assertThat(trigger.get("topic")).as("topic of " + name).isEqualTo(Topics.tasks(pool));
            assertThat(trigger.get("consumerGroup")).as("consumer group of " + name).isEqualTo(
                    fleet.setting(worker, "quantfleet.worker.group-id").orElse(FleetNames.defaultWorkerGroup(pool)));
            assertThat(Optional.of(trigger.get("bootstrapServers"))).as("bootstrap servers of " + name)
                    .isEqualTo(fleet.setting(worker, "kafka.bootstrap.servers"));
            assertThat(trigger.get("offsetResetPolicy")).as("offset reset of " + name).isEqualTo(
                    fleet.setting(worker, "kafka.auto.offset.reset").orElse(FleetNames.WORKER_OFFSET_RESET));
            assertThat(trigger.get("lagThreshold")).as("lag per worker of " + name + ": a worker runs one task")
                    .isEqualTo("1");
            assertThat(trigger.get("allowIdleConsumers")).as("idle consumers of " + name).isEqualTo("false");
            assertThat(Maps.text(triggers.get(0), "authenticationRef", "name")).as("authentication of " + name)
                    .isIn(fleet.manifests().custom("TriggerAuthentication").stream()
                            .map(auth -> auth.getMetadata().getName()).toList());

            int maxReplicas = Integer.parseInt(Maps.text(spec, "maxReplicaCount"));
            assertThat(maxReplicas).as("maxReplicaCount of " + name + ", at most the partitions of "
                    + Topics.tasks(pool)).isBetween(1, partitions);
            assertThat(Integer.parseInt(Maps.text(spec, "minReplicaCount"))).as("minReplicaCount of " + name)
                    .isBetween(0, maxReplicas);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void workersFinishTheirTaskBeforeTheyAreKilled(String overlay) {
        RenderedFleet fleet = render(overlay);
        Duration roundDeadline = Duration.ofMillis(Long.parseLong(
                coordinatorSetting(fleet, "quantfleet.search.round-deadline-ms")));

        for (Deployment worker : fleet.workers()) {
            String name = worker.getMetadata().getName();
            Duration shutdownTimeout = Durations.parse(workerSetting(fleet, worker,
                    "quantfleet.worker.shutdown-timeout"));
            Duration taskTimeout = Durations.parse(workerSetting(fleet, worker, "quantfleet.worker.task-timeout"));
            long graceSeconds = worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();

            assertThat(Duration.ofSeconds(graceSeconds)).as(name + " terminationGracePeriodSeconds against "
                    + "shutdown-timeout " + shutdownTimeout + " plus " + FleetNames.WORKER_SHUTDOWN_SLACK)
                    .isGreaterThan(shutdownTimeout.plus(FleetNames.WORKER_SHUTDOWN_SLACK));
            assertThat(shutdownTimeout).as(name + " shutdown-timeout against task-timeout").isGreaterThanOrEqualTo(
                    taskTimeout);
            assertThat(roundDeadline).as("coordinator round deadline against the task-timeout of " + name)
                    .isGreaterThanOrEqualTo(taskTimeout);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void coordinatorKnowsExactlyTheWorkerPools(String overlay) {
        RenderedFleet fleet = render(overlay);
        Deployment coordinator = fleet.coordinator();

        Set<String> pools = Arrays.stream(coordinatorSetting(fleet, "quantfleet.pools").split(","))
                .map(String::strip).collect(Collectors.toCollection(TreeSet::new));
        Set<String> workerPools = fleet.workers().stream().map(RenderedFleet::pool)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(pools).as("quantfleet.pools of the coordinator").isEqualTo(workerPools);
        assertThat(pools).as("pools: requests that name none go to the default pool").contains(Topics.DEFAULT_POOL);
        assertThat(coordinator.getSpec().getReplicas()).as("coordinator replicas").isEqualTo(1);
        assertThat(coordinator.getSpec().getStrategy().getType()).as("coordinator update strategy")
                .isEqualTo("Recreate");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesMonitorsBudgetsAndPoliciesCoverEveryPod(String overlay) {
        RenderedFleet fleet = render(overlay);
        List<GenericKubernetesResource> monitors = fleet.manifests().custom("ServiceMonitor");

        for (Deployment deployment : fleet.manifests().ofType(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).as(name + " pod labels").containsAllEntriesOf(
                    deployment.getSpec().getSelector().getMatchLabels());

            Service service = fleet.manifests().ofType(Service.class).stream()
                    .filter(candidate -> selects(candidate.getSpec().getSelector(), podLabels)).findFirst()
                    .orElseThrow(() -> new AssertionError("No Service selects the pods of " + name));
            assertThat(service.getSpec().getPorts()).as("ports of Service " + service.getMetadata().getName())
                    .anySatisfy(port -> assertThat(port.getName()).isEqualTo("http"));
            GenericKubernetesResource monitor = monitors.stream()
                    .filter(candidate -> selects(stringMap(Maps.map(candidate.getAdditionalProperties(), "spec",
                            "selector", "matchLabels")), service.getMetadata().getLabels()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("No ServiceMonitor selects Service "
                            + service.getMetadata().getName()));
            assertThat(Maps.list(monitor.getAdditionalProperties(), "spec", "endpoints")).as("endpoints of "
                    + monitor.getMetadata().getName()).singleElement().satisfies(endpoint -> {
                        assertThat(Maps.text(endpoint, "port")).isEqualTo("http");
                        assertThat(Maps.text(endpoint, "path")).isEqualTo(FleetNames.METRICS_PATH);
                    });

            assertThat(fleet.manifests().ofType(PodDisruptionBudget.class)).as("PodDisruptionBudgets of " + name)
                    .anySatisfy(budget -> assertThat(selects(budget.getSpec().getSelector().getMatchLabels(),
                            podLabels)).isTrue());
            List<NetworkPolicy> policies = fleet.manifests().ofType(NetworkPolicy.class).stream()
                    .filter(policy -> selects(policy.getSpec().getPodSelector().getMatchLabels(), podLabels))
                    .toList();
            assertThat(policies).as("NetworkPolicies of " + name + " that deny by default").anySatisfy(policy -> {
                assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
                assertThat(policy.getSpec().getIngress()).isEmpty();
                assertThat(policy.getSpec().getEgress()).isEmpty();
            });
            assertThat(policies).as("NetworkPolicies of " + name + " that let Prometheus reach port http")
                    .anySatisfy(policy -> assertThat(policy.getSpec().getIngress()).anySatisfy(rule ->
                            assertThat(rule.getPorts()).anySatisfy(port ->
                                    assertThat(port.getPort().getStrVal()).isEqualTo("http"))));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void workersAndCoordinatorShareStoreAndBroker(String overlay) {
        RenderedFleet fleet = render(overlay);
        String bootstrap = coordinatorSetting(fleet, "quantfleet.kafka.bootstrap-servers");

        assertThat(coordinatorSetting(fleet, "quarkus.kafka-streams.bootstrap-servers"))
                .as("bootstrap servers of the aggregator").isEqualTo(bootstrap);
        for (Deployment worker : fleet.workers()) {
            String name = worker.getMetadata().getName();
            assertThat(fleet.setting(worker, "kafka.bootstrap.servers")).as(name + " kafka.bootstrap.servers")
                    .contains(bootstrap);
            for (String store : List.of("endpoint", "region", "bucket", "prefix")) {
                assertThat(workerSetting(fleet, worker, "quantfleet.worker.s3." + store)).as(name + " S3 " + store)
                        .isEqualTo(coordinatorSetting(fleet, "quantfleet.s3." + store));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void modelEventsUseTheModelsPrefix(String overlay) {
        RenderedFleet fleet = render(overlay);

        assertThat(coordinatorSetting(fleet, "quantfleet.coordinator.model-events.enabled"))
                .as("model events of the coordinator").isEqualTo("true");
        assertThat(coordinatorSetting(fleet, "quantfleet.coordinator.model-events.models-prefix"))
                .as("models prefix of the coordinator, where bucket notifications announce versions")
                .isEqualTo(S3ObjectEvent.MODELS_PREFIX);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void referencesResolveWithinTheRender(String overlay) {
        RenderedFleet fleet = render(overlay);
        Set<String> configMaps = fleet.manifests().all().stream().filter(resource -> resource.getKind()
                .equals("ConfigMap")).map(resource -> resource.getMetadata().getName()).collect(Collectors.toSet());

        for (Deployment deployment : fleet.manifests().ofType(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            for (Volume volume : deployment.getSpec().getTemplate().getSpec().getVolumes()) {
                if (volume.getConfigMap() != null) {
                    assertThat(configMaps).as(name + " volume " + volume.getName())
                            .contains(volume.getConfigMap().getName());
                }
            }
            for (EnvVar variable : RenderedFleet.container(deployment).getEnv()) {
                if (variable.getValueFrom() != null) {
                    assertThat(variable.getValueFrom().getSecretKeyRef()).as(name + " " + variable.getName()
                            + ": only Secrets feed the environment").isNotNull();
                    assertThat(variable.getValueFrom().getSecretKeyRef().getName()).as(name + " " + variable.getName())
                            .isIn(EXTERNAL_SECRETS);
                }
            }
        }
        for (GenericKubernetesResource authentication : fleet.manifests().custom("TriggerAuthentication")) {
            assertThat(Maps.list(authentication.getAdditionalProperties(), "spec", "secretTargetRef"))
                    .as("Secrets of TriggerAuthentication " + authentication.getMetadata().getName())
                    .allSatisfy(reference -> assertThat(Maps.text(reference, "name")).isIn(EXTERNAL_SECRETS));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void gpuPoolsRequestAGpuAndLoadTheProvider(String overlay) {
        RenderedFleet fleet = render(overlay);
        Map<String, String> amdImage = Images.dockerfileOf("quantfleet/worker-amd").runtime().environment();
        int gpuPools = 0;

        for (Deployment worker : fleet.workers()) {
            String name = worker.getMetadata().getName();
            Container container = RenderedFleet.container(worker);
            PodSpec pod = worker.getSpec().getTemplate().getSpec();
            Map<String, Quantity> limits = container.getResources().getLimits();
            String provider = fleet.setting(worker, "quantfleet.worker.execution-provider").orElse("cpu");
            if (!provider.equals(GPU_PROVIDER)) {
                assertThat(provider).as(name + " execution provider").isEqualTo("cpu");
                assertThat(limits).as(name + " limits").doesNotContainKey(GPU_RESOURCE);
                assertThat(container.getImage()).as(name + " image").startsWith("quantfleet/worker:");
                continue;
            }
            gpuPools++;
            assertThat(limits.get(GPU_RESOURCE)).as(name + " " + GPU_RESOURCE + " limit").isNotNull();
            assertThat(Quantity.getAmountInBytes(limits.get(GPU_RESOURCE))).as(name + " GPUs")
                    .isGreaterThanOrEqualTo(BigDecimal.ONE);
            assertThat(pod.getNodeSelector()).as(name + " node selector").isNotEmpty();
            assertThat(pod.getTolerations()).as(name + " tolerations")
                    .anySatisfy(toleration -> assertThat(toleration.getKey()).isEqualTo(GPU_RESOURCE));
            assertThat(container.getImage()).as(name + " image").startsWith("quantfleet/worker-amd:");
            assertThat(fleet.setting(worker, "quantfleet.worker.provider-library")).as(name + " provider library")
                    .contains(amdImage.get("QUANTFLEET_WORKER_PROVIDER_LIBRARY"));
            GenericKubernetesResource scaled = fleet.scaledObjectOf(worker).orElseThrow();
            assertThat(Maps.text(scaled.getAdditionalProperties(), "spec", "minReplicaCount"))
                    .as(name + " minReplicaCount: an idle GPU pool scales to zero").isEqualTo("0");
        }
        assertThat(gpuPools).as("GPU pools of " + overlay).isEqualTo(overlay.equals("amd-gpu") ? 1 : 0);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void dataVolumeHoldsTheArtifactCache(String overlay) {
        RenderedFleet fleet = render(overlay);

        for (Deployment worker : fleet.workers()) {
            String name = worker.getMetadata().getName();
            long maxBytes = Long.parseLong(workerSetting(fleet, worker, "quantfleet.worker.cache.max-bytes"));
            for (String folder : List.of("quantfleet.worker.cache.directory",
                    "quantfleet.worker.cache.work-directory")) {
                Path path = Path.of(workerSetting(fleet, worker, folder));
                VolumeMount mount = RenderedFleet.container(worker).getVolumeMounts().stream()
                        .filter(candidate -> path.startsWith(candidate.getMountPath())).findFirst()
                        .orElseThrow(() -> new AssertionError(name + ": " + folder + " " + path
                                + " is on no volume, so it would fill the read-only root"));
                Volume volume = worker.getSpec().getTemplate().getSpec().getVolumes().stream()
                        .filter(candidate -> candidate.getName().equals(mount.getName())).findFirst().orElseThrow();
                assertThat(volume.getEmptyDir()).as(name + " volume of " + folder).isNotNull();
                assertThat(Quantity.getAmountInBytes(volume.getEmptyDir().getSizeLimit()))
                        .as(name + " sizeLimit of volume " + volume.getName() + " against cache.max-bytes")
                        .isGreaterThan(BigDecimal.valueOf(maxBytes));
            }
        }
    }

    private static void checkResources(Container container, String where) {
        for (String resource : List.of("cpu", "memory")) {
            Quantity request = container.getResources().getRequests().get(resource);
            Quantity limit = container.getResources().getLimits().get(resource);
            assertThat(request).as(where + " " + resource + " request").isNotNull();
            assertThat(limit).as(where + " " + resource + " limit").isNotNull();
            assertThat(Quantity.getAmountInBytes(request)).as(where + " " + resource + " request against limit")
                    .isLessThanOrEqualTo(Quantity.getAmountInBytes(limit));
        }
    }

    private static void checkProbes(Container container, Dockerfile.Stage image, String where) {
        int httpPort = Integer.parseInt(image.environment().get("QUARKUS_HTTP_PORT"));
        assertThat(container.getPorts()).as(where + " ports").extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .contains(org.assertj.core.groups.Tuple.tuple("http", httpPort));
        checkProbe(container.getLivenessProbe(), FleetNames.LIVENESS_PATH, where + " liveness probe");
        checkProbe(container.getReadinessProbe(), FleetNames.READINESS_PATH, where + " readiness probe");
        if (container.getStartupProbe() != null) {
            checkProbe(container.getStartupProbe(), FleetNames.STARTUP_PATH, where + " startup probe");
        }
    }

    private static void checkProbe(Probe probe, String path, String probeName) {
        assertThat(probe).as(probeName).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as(probeName + " httpGet").isNotNull();
        assertThat(get.getPath()).as(probeName + " path").isEqualTo(path);
        assertThat(get.getPort().getStrVal()).as(probeName + " port").isEqualTo("http");
    }

    private static void checkSecurity(PodSecurityContext pod, Container container, Dockerfile.Stage image,
                                      String where) {
        SecurityContext own = container.getSecurityContext();
        assertThat(own).as(where + " securityContext").isNotNull();
        Boolean nonRoot = own.getRunAsNonRoot() != null ? own.getRunAsNonRoot() : pod.getRunAsNonRoot();
        Long user = own.getRunAsUser() != null ? own.getRunAsUser() : pod.getRunAsUser();
        String imageUser = image.last("USER").orElseThrow(() -> new AssertionError(where + ": the image sets no USER"))
                .arguments().split(":")[0];
        assertThat(nonRoot).as(where + " runAsNonRoot").isTrue();
        assertThat(imageUser).as(where + " image USER").matches("[0-9]+");
        assertThat(user).as(where + " runAsUser, the image's USER").isEqualTo(Long.parseLong(imageUser));
        assertThat(own.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
        assertThat(own.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
        assertThat(own.getCapabilities().getDrop()).as(where + " dropped capabilities").contains("ALL");
        assertThat(pod.getSeccompProfile().getType()).as(where + " seccomp profile").isEqualTo("RuntimeDefault");
    }

    private static void checkSettings(RenderedFleet fleet, Deployment deployment, ServiceSettings settings,
                                      List<String> passThroughPrefixes) {
        String name = deployment.getMetadata().getName();
        Properties files = fleet.properties(deployment);
        Map<String, String> image = RenderedFleet.imageEnvironment(deployment);
        for (String key : files.stringPropertyNames()) {
            String imageValue = image.get(ServiceSettings.environmentName(key));
            assertThat(imageValue == null || imageValue.equals(files.getProperty(key)))
                    .as(name + " sets " + key + "=" + files.getProperty(key) + ", but the image's "
                            + ServiceSettings.environmentName(key) + "=" + imageValue + " takes precedence").isTrue();
            if (key.startsWith("quantfleet.")) {
                assertThat(settings.reads(key)).as(name + " sets " + key + ", which the service does not read")
                        .isTrue();
            } else {
                assertThat(passThroughPrefixes).as(name + " sets " + key).anySatisfy(prefix ->
                        assertThat(key).startsWith(prefix));
            }
        }
        for (EnvVar variable : RenderedFleet.container(deployment).getEnv()) {
            String variableName = variable.getName();
            if (variableName.startsWith("QUANTFLEET_")) {
                assertThat(settings.propertyOfVariable(variableName)).as(name + " sets " + variableName
                        + ", which matches no setting of the service").isPresent();
            } else {
                assertThat(variableName).as(name + " environment variable").matches("(KAFKA|QUARKUS)_[A-Z0-9_]+");
            }
        }
    }

    /** Returns the coordinator's value of {@code property}: its environment, its files or the code's default. */
    static String coordinatorSetting(RenderedFleet fleet, String property) {
        return fleet.setting(fleet.coordinator(), property)
                .or(() -> ServiceSettings.coordinator().propertyNames().contains(property)
                        ? ServiceSettings.coordinator().defaultValue(property) : Optional.empty())
                .orElseThrow(() -> new AssertionError("The coordinator has no value for " + property));
    }

    private static String workerSetting(RenderedFleet fleet, Deployment worker, String property) {
        return fleet.setting(worker, property).or(() -> ServiceSettings.worker().defaultValue(property))
                .orElseThrow(() -> new AssertionError(worker.getMetadata().getName() + " has no value for "
                        + property));
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null
                && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Map<String, String> stringMap(Map<String, Object> map) {
        return map.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry ->
                String.valueOf(entry.getValue())));
    }

    static String id(HasMetadata resource) {
        return resource.getKind() + "/" + resource.getMetadata().getName();
    }
}

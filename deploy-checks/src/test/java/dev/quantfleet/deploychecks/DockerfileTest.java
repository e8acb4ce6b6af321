package dev.quantfleet.deploychecks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the Dockerfiles of deploy/ without a Docker engine and checks what the compose file and
 * the manifests rely on. Each image needs a Maven build stage for its module and a non-root
 * runtime user. Its HTTP listener must be one that a container can publish, its heap must follow
 * the container's memory limit, and its health check must call the readiness endpoint.
 */
class DockerfileTest {

    private static final Pattern COPY_FROM = Pattern.compile("--from=(\\S+)\\s+(\\S+)\\s+(\\S+)");
    private static final Pattern ENTRYPOINT_JAR = Pattern.compile("\\[\\s*\"java\",\\s*\"-jar\",\\s*\"([^\"]+)\"\\s*]");
    private static final Pattern MAX_RAM_PERCENTAGE = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("deploy/coordinator.Dockerfile", "coordinator"),
                Arguments.of("deploy/worker.Dockerfile", "worker"),
                Arguments.of("deploy/worker-amd.Dockerfile", "worker"));
    }

    @ParameterizedTest
    @MethodSource("images")
    void buildStagePackagesTheModuleWithTheWrapper(String path, String module) {
        Dockerfile dockerfile = Dockerfile.read(ProjectFiles.resolve(path));
        Dockerfile.Stage build = dockerfile.stages().get(0);

        assertThat(dockerfile.stages()).as("stages of " + path).hasSizeGreaterThanOrEqualTo(2);
        assertThat(build.name()).as("first stage of " + path).contains("build");
        assertThat(build.baseImage()).as("build image of " + path).startsWith("eclipse-temurin:").endsWith("-jdk");
        assertThat(build.all("RUN")).as("build commands of " + path).anySatisfy(run ->
                assertThat(run.arguments()).contains("./mvnw ").contains(" package ").contains("-pl " + module + " ")
                        .contains(" -am"));
    }

    @ParameterizedTest
    @MethodSource("images")
    void runtimeStageRunsTheQuarkusAppAsNonRoot(String path, String module) {
        Dockerfile dockerfile = Dockerfile.read(ProjectFiles.resolve(path));
        Dockerfile.Stage runtime = dockerfile.runtime();

        String user = runtime.last("USER").orElseThrow(() -> new AssertionError(path + " sets no USER")).arguments();
        assertThat(user).as("USER of " + path + ": numeric, so that Kubernetes can verify runAsNonRoot")
                .matches("[0-9]+(:[0-9]+)?");
        assertThat(Long.parseLong(user.split(":")[0])).as("user id of " + path).isPositive();

        Matcher entrypoint = ENTRYPOINT_JAR.matcher(runtime.last("ENTRYPOINT").orElseThrow().arguments());
        assertThat(entrypoint.matches()).as("ENTRYPOINT of " + path + " in exec form running java -jar").isTrue();
        Path jar = Path.of(entrypoint.group(1));
        assertThat(jar.getFileName()).as("jar of " + path).hasToString("quarkus-run.jar");
        assertThat(copiesFrom(dockerfile, "build")).as("COPY --from=build of " + path).anySatisfy((source, target) -> {
            assertThat(source).endsWith("/" + module + "/target/quarkus-app/");
            assertThat(target).isEqualTo(jar.getParent() + "/");
        });
    }

    @ParameterizedTest
    @MethodSource("images")
    void runtimeListensOnAllInterfacesAndChecksReadiness(String path, String module) {
        Dockerfile.Stage runtime = Dockerfile.read(ProjectFiles.resolve(path)).runtime();
        Map<String, String> environment = runtime.environment();

        assertThat(ProjectFiles.applicationProperties(module).getProperty("quarkus.http.host"))
                .as(module + " application.properties binds to loopback, which the image must override")
                .isEqualTo("127.0.0.1");
        assertThat(environment).as("environment of " + path).containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0");
        assertThat(environment.get("QUARKUS_HTTP_PORT")).as("QUARKUS_HTTP_PORT of " + path).matches("[0-9]+");
        assertThat(runtime.last("EXPOSE").orElseThrow().arguments()).as("EXPOSE of " + path)
                .isEqualTo(environment.get("QUARKUS_HTTP_PORT"));
        assertThat(runtime.last("HEALTHCHECK").orElseThrow().arguments()).as("HEALTHCHECK of " + path)
                .contains("http://127.0.0.1:${QUARKUS_HTTP_PORT}" + FleetNames.READINESS_PATH);
    }

    @ParameterizedTest
    @MethodSource("images")
    void heapFollowsTheContainerMemoryLimit(String path, String module) {
        String options = Dockerfile.read(ProjectFiles.resolve(path)).runtime().environment().get("JDK_JAVA_OPTIONS");

        assertThat(options).as("JDK_JAVA_OPTIONS of " + path).isNotNull().doesNotContain("-Xmx");
        Matcher percentage = MAX_RAM_PERCENTAGE.matcher(options);
        assertThat(percentage.find()).as("-XX:MaxRAMPercentage in " + path).isTrue();
        assertThat(Double.parseDouble(percentage.group(1))).as("heap share of " + path + ", leaving memory to "
                + "ONNX Runtime's native allocations").isBetween(25.0, 75.0);
    }

    @ParameterizedTest
    @MethodSource("images")
    void environmentSetsOnlySettingsTheServiceReads(String path, String module) {
        Map<String, String> environment = Dockerfile.read(ProjectFiles.resolve(path)).runtime().environment();
        ServiceSettings settings = module.equals("worker") ? ServiceSettings.worker() : ServiceSettings.coordinator();

        Set<String> quantfleet = environment.keySet().stream().filter(name -> name.startsWith("QUANTFLEET_"))
                .collect(Collectors.toSet());
        assertThat(quantfleet).as("QUANTFLEET_ variables of " + path).isNotEmpty();
        for (String variable : quantfleet) {
            assertThat(settings.propertyOfVariable(variable)).as(path + " sets " + variable
                    + ", which matches no setting of the " + module).isPresent();
        }
    }

    @Test
    void copiesComeFromDeclaredStages() {
        for (String path : Images.DOCKERFILES.values()) {
            Dockerfile dockerfile = Dockerfile.read(ProjectFiles.resolve(path));
            Set<String> declared = new HashSet<>();
            for (Dockerfile.Stage stage : dockerfile.stages()) {
                for (Dockerfile.Instruction copy : stage.all("COPY")) {
                    Matcher from = COPY_FROM.matcher(copy.arguments());
                    if (from.find()) {
                        assertThat(declared).as("stage of COPY " + copy.arguments() + " in " + path)
                                .contains(from.group(1));
                    }
                }
                stage.name().ifPresent(declared::add);
            }
        }
    }

    @Test
    void amdWorkerAttachesTheProviderItBuilds() {
        Dockerfile dockerfile = Dockerfile.read(ProjectFiles.resolve("deploy/worker-amd.Dockerfile"));
        Map<String, String> environment = dockerfile.runtime().environment();

        assertThat(environment).as("environment of the AMD worker")
                .containsEntry("QUANTFLEET_WORKER_EXECUTION_PROVIDER", "migraphx");
        assertThat(copiesFrom(dockerfile, "provider-build").values()).as("provider library of the AMD worker")
                .containsExactly(environment.get("QUANTFLEET_WORKER_PROVIDER_LIBRARY"));
        assertThat(dockerfile.globalArguments()).as("ONNX Runtime whose headers the provider is built against")
                .containsEntry("ONNXRUNTIME_VERSION", ProjectFiles.pomProperty("onnxruntime.version"));
    }

    @Test
    void buildContextLeavesOutBuildOutputs() {
        List<String> ignored = ProjectFiles.read(".dockerignore").lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        assertThat(ignored).as(".dockerignore").contains("**/target/", "models/", "out/", ".git/");
    }

    /** Returns source to destination of every {@code COPY --from=<stage>} in the runtime stage. */
    private static Map<String, String> copiesFrom(Dockerfile dockerfile, String stage) {
        Map<String, String> copies = new LinkedHashMap<>();
        for (Dockerfile.Instruction copy : dockerfile.runtime().all("COPY")) {
            Matcher from = COPY_FROM.matcher(copy.arguments());
            if (from.find() && from.group(1).equals(stage)) {
                copies.put(from.group(2), from.group(3));
            }
        }
        return copies;
    }
}

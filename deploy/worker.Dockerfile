# syntax=docker/dockerfile:1
#
# The CPU worker: consumes the tasks of one pool and runs them with ONNX Runtime's CPU
# execution provider, from the onnxruntime jar on Maven Central (natives for linux-x64 and
# linux-aarch64). Build from the repository root:
#   docker build -f deploy/worker.Dockerfile -t quantfleet/worker:dev .

ARG JAVA_VERSION=17

# Build stage: the Maven wrapper downloads Maven and every dependency from Maven Central.
FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
WORKDIR /src
COPY . .
# The Maven repository is a BuildKit cache mount, so a rebuild downloads only what changed.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -pl worker -am -DskipTests

# Runtime stage: a JRE (glibc, which the ONNX Runtime natives need) and the Quarkus fast-jar.
FROM eclipse-temurin:${JAVA_VERSION}-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 quantfleet \
    && useradd --system --uid 10001 --gid quantfleet --home-dir /var/lib/quantfleet --shell /usr/sbin/nologin quantfleet \
    && install -d -o quantfleet -g quantfleet /var/lib/quantfleet /var/lib/quantfleet/cache /var/lib/quantfleet/tasks
COPY --from=build /src/worker/target/quarkus-app/ /opt/quantfleet/quarkus-app/

# The application.properties of the jar binds HTTP to 127.0.0.1, which a container cannot
# publish. The artifact cache and the task folders share one file system, so that the worker
# hard-links cached files into a task. The heap takes 50 % of the container's memory limit,
# because ONNX Runtime allocates models and tensors outside the Java heap.
ENV QUARKUS_HTTP_HOST=0.0.0.0 \
    QUARKUS_HTTP_PORT=8080 \
    QUANTFLEET_WORKER_CACHE_DIRECTORY=/var/lib/quantfleet/cache \
    QUANTFLEET_WORKER_CACHE_WORK_DIRECTORY=/var/lib/quantfleet/tasks \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"

WORKDIR /var/lib/quantfleet
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${QUARKUS_HTTP_PORT}/q/health/ready" > /dev/null || exit 1
ENTRYPOINT ["java", "-jar", "/opt/quantfleet/quarkus-app/quarkus-run.jar"]

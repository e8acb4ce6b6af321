# syntax=docker/dockerfile:1
#
# The coordinator: REST API, request intake, search loop and Kafka Streams aggregator.
# Build from the repository root:
#   docker build -f deploy/coordinator.Dockerfile -t quantfleet/coordinator:dev .

ARG JAVA_VERSION=17

# Build stage: the Maven wrapper downloads Maven and every dependency from Maven Central.
FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
WORKDIR /src
COPY . .
# The Maven repository is a BuildKit cache mount, so a rebuild downloads only what changed.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -pl coordinator -am -DskipTests

# Runtime stage: a JRE and the Quarkus fast-jar (quarkus-app/), owned by root and read-only
# for the service user.
FROM eclipse-temurin:${JAVA_VERSION}-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 quantfleet \
    && useradd --system --uid 10001 --gid quantfleet --home-dir /var/lib/quantfleet --shell /usr/sbin/nologin quantfleet \
    && install -d -o quantfleet -g quantfleet /var/lib/quantfleet /var/lib/quantfleet/cache /var/lib/quantfleet/streams
COPY --from=build /src/coordinator/target/quarkus-app/ /opt/quantfleet/quarkus-app/

# The application.properties of the jar binds HTTP to 127.0.0.1, which a container cannot
# publish. The heap takes 60 % of the container's memory limit: ONNX Runtime, which checks
# that a request's float model runs on its data, allocates its tensors outside the heap.
ENV QUARKUS_HTTP_HOST=0.0.0.0 \
    QUARKUS_HTTP_PORT=8080 \
    QUANTFLEET_CACHE_DIR=/var/lib/quantfleet/cache \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"

WORKDIR /var/lib/quantfleet
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${QUARKUS_HTTP_PORT}/q/health/ready" > /dev/null || exit 1
ENTRYPOINT ["java", "-jar", "/opt/quantfleet/quarkus-app/quarkus-run.jar"]

# syntax=docker/dockerfile:1
#
# The AMD GPU worker: the CPU worker's application, unchanged, plus the MIGraphX plugin
# execution provider that the worker registers with ONNX Runtime at start
# (quantfleet.worker.execution-provider=migraphx). deploy/README.md explains why the image
# attaches a plugin library instead of rebuilding ONNX Runtime. Build from the repository root:
#   docker build -f deploy/worker-amd.Dockerfile -t quantfleet/worker-amd:dev .
#
# NOTE: the defaults of ROCM_VERSION and EP_COMMIT were not built or run on an AMD GPU by this
# project. EP_COMMIT is a commit of github.com/onnxruntime/onnxruntime-ep-amdgpu whose own
# packaging script builds against ONNX Runtime 1.29.0, the version the worker uses. Choose a
# ROCm release whose MIGraphX that commit supports, and one that the nodes' amdgpu driver runs.

ARG JAVA_VERSION=17
ARG ROCM_VERSION=7.2.4
ARG ONNXRUNTIME_VERSION=1.29.0
ARG EP_COMMIT=72f75ddee2e2a030d2871fc7b1585aa1596cd461

# Build stage 1: the worker, exactly as in worker.Dockerfile.
FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -pl worker -am -DskipTests

# Build stage 2: the MIGraphX plugin execution provider (libmigraphx-ep.so), compiled against
# the C headers of the ONNX Runtime release that the worker's onnxruntime jar contains and the
# MIGraphX of the ROCm image. The plugin ABI needs ONNX Runtime 1.24 or later.
FROM rocm/dev-ubuntu-24.04:${ROCM_VERSION} AS provider-build
ARG ONNXRUNTIME_VERSION
ARG EP_COMMIT
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       migraphx migraphx-dev half git curl ca-certificates python3 python3-pip patchelf \
    && rm -rf /var/lib/apt/lists/* \
    && pip3 install --no-cache-dir --break-system-packages "cmake==4.2.3" ninja "packaging>=24.2"
# The CMake package files of some ONNX Runtime release tarballs name lib64/ and
# include/onnxruntime/, which the tarball lacks; the links make both paths resolve.
RUN curl -fsSL "https://github.com/microsoft/onnxruntime/releases/download/v${ONNXRUNTIME_VERSION}/onnxruntime-linux-x64-${ONNXRUNTIME_VERSION}.tgz" \
       | tar -xz -C /opt \
    && mv "/opt/onnxruntime-linux-x64-${ONNXRUNTIME_VERSION}" /opt/onnxruntime \
    && { [ -e /opt/onnxruntime/lib64 ] || ln -s lib /opt/onnxruntime/lib64; } \
    && if [ ! -e /opt/onnxruntime/include/onnxruntime ]; then \
         mkdir /opt/onnxruntime/include/onnxruntime \
         && for header in /opt/onnxruntime/include/*.h; do \
              ln -s "../$(basename "$header")" /opt/onnxruntime/include/onnxruntime/; \
            done; \
       fi
RUN git init /src/ep \
    && git -C /src/ep remote add origin https://github.com/onnxruntime/onnxruntime-ep-amdgpu.git \
    && git -C /src/ep fetch --depth 1 origin "${EP_COMMIT}" \
    && git -C /src/ep checkout FETCH_HEAD
WORKDIR /src/ep
RUN ./build.sh --config Release --cmake_generator Ninja --build_dir /build \
        --onnxrt_home /opt/onnxruntime --use_migraphx --migraphx_home /opt/rocm --hip_path /opt/rocm \
        --compile_no_warning_as_error --parallel \
    && install -d /out \
    && find /build -name 'libmigraphx-ep.so' -exec cp {} /out/ \; \
    && test -f /out/libmigraphx-ep.so

# The JRE that the runtime stage copies.
FROM eclipse-temurin:${JAVA_VERSION}-jre AS jre

# Runtime stage: the ROCm user-space libraries and MIGraphX, the Temurin JRE, the worker and
# the provider library. The service user joins 'video' and 'render', the groups that own
# /dev/kfd and /dev/dri on the usual host setup. Kubernetes and Docker map the host's group
# ids with supplementalGroups or --group-add (see deploy/README.md).
FROM rocm/dev-ubuntu-24.04:${ROCM_VERSION}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends migraphx curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 quantfleet \
    && (getent group render > /dev/null || groupadd --system render) \
    && useradd --system --uid 10001 --gid quantfleet --groups video,render \
       --home-dir /var/lib/quantfleet --shell /usr/sbin/nologin quantfleet \
    && install -d -o quantfleet -g quantfleet /var/lib/quantfleet /var/lib/quantfleet/cache \
       /var/lib/quantfleet/tasks /var/lib/quantfleet/migraphx-cache
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
COPY --from=build /src/worker/target/quarkus-app/ /opt/quantfleet/quarkus-app/
COPY --from=provider-build /out/libmigraphx-ep.so /opt/quantfleet/providers/libmigraphx-ep.so

# As in worker.Dockerfile, plus the provider. The image sets no pool: give it with
# QUANTFLEET_WORKER_POOL or quantfleet.worker.pool, because an ENV here would take precedence over
# a properties file. ORT_MIGRAPHX_MODEL_CACHE_PATH keeps the compiled MIGraphX programs (.mxr), so
# that a task on a model compiled before skips the compilation.
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:${PATH} \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    QUARKUS_HTTP_PORT=8080 \
    QUANTFLEET_WORKER_EXECUTION_PROVIDER=migraphx \
    QUANTFLEET_WORKER_PROVIDER_LIBRARY=/opt/quantfleet/providers/libmigraphx-ep.so \
    QUANTFLEET_WORKER_CACHE_DIRECTORY=/var/lib/quantfleet/cache \
    QUANTFLEET_WORKER_CACHE_WORK_DIRECTORY=/var/lib/quantfleet/tasks \
    ORT_MIGRAPHX_MODEL_CACHE_PATH=/var/lib/quantfleet/migraphx-cache \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"

WORKDIR /var/lib/quantfleet
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${QUARKUS_HTTP_PORT}/q/health/ready" > /dev/null || exit 1
ENTRYPOINT ["java", "-jar", "/opt/quantfleet/quarkus-app/quarkus-run.jar"]

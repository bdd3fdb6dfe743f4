# thidua: container image
#
#   docker build -t thidua .
#   podman build --format docker -t thidua .   # --format docker keeps HEALTHCHECK
#
# Both stages use Debian bookworm packages only. Build arguments:
#   REVISION  commit (git rev-parse HEAD): compiled in and labelled
#   VERSION, CREATED  image labels only

ARG DEBIAN_IMAGE=debian:bookworm-slim

############################################################################
# Build stage
############################################################################
FROM ${DEBIAN_IMAGE} AS build

ARG DEBIAN_FRONTEND=noninteractive

# Build dependencies: THE list, one package per line, sorted.
# A new -dev package goes here, and its runtime library into the list in the
# runtime stage below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        build-essential \
        cmake \
        gettext \
        libcairo2-dev \
        libcurl4-gnutls-dev \
        libjansson-dev \
        libmicrohttpd-dev \
        libpango1.0-dev \
        libpq-dev \
        libsodium-dev \
        libssl-dev \
        libulfius-dev \
        libxlsxwriter-dev \
        libxml2-dev \
        libyaml-dev \
        pkg-config \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# What CMakeLists.txt reads to build the service (tests/ is not needed with
# THIDUA_TESTS=OFF). A new directory the build reads must be added here.
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY db/ db/
COPY api-spec/ api-spec/
COPY po/ po/
COPY service/ service/

# The build context has no .git: the commit comes in as a build argument.
ARG REVISION=unknown
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DTHIDUA_TESTS=OFF \
        -DTHIDUA_COMMIT="${REVISION}" -DTHIDUA_LOCALE_DIR=/usr/share/locale \
 && cmake --build /build -j"$(nproc)" --target thidua \
 && test -x /build/thidua

############################################################################
# Runtime stage
############################################################################
FROM ${DEBIAN_IMAGE} AS runtime

ARG DEBIAN_FRONTEND=noninteractive

# Runtime libraries matching the -dev packages of the build stage, one per
# line, sorted.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        ca-certificates \
        fonts-liberation2 \
        libcairo2 \
        libcurl3-gnutls \
        libjansson4 \
        libmicrohttpd12 \
        libpango-1.0-0 \
        libpangocairo-1.0-0 \
        libpq5 \
        libsodium23 \
        libssl3 \
        libulfius2.7 \
        libxlsxwriter4 \
        libxml2 \
        libyaml-0-2 \
        locales \
 && rm -rf /var/lib/apt/lists/*

# The service chooses its message catalogue per request through the
# LC_MESSAGES of these two locales (service/answers/lang.c).
RUN printf 'vi_VN.UTF-8 UTF-8\nen_US.UTF-8 UTF-8\n' >> /etc/locale.gen \
 && locale-gen

# Unprivileged user with a fixed uid/gid (Kubernetes runAsNonRoot needs the
# numeric USER below).
RUN groupadd --system --gid 10001 thidua \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin thidua

COPY --from=build /build/thidua /usr/local/bin/thidua
COPY --from=build /build/locale/ /usr/share/locale/

# Fail the build, naming the library, when the runtime list above misses one.
RUN if ldd /usr/local/bin/thidua | grep 'not found'; then \
        echo 'runtime stage lacks the shared libraries above: add their packages' >&2; \
        exit 1; \
    fi

ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="thidua" \
      org.opencontainers.image.description="thidua REST service (C, ulfius, PostgreSQL)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"

ENV THIDUA_LISTEN_ADDRESS=0.0.0.0 \
    THIDUA_PORT=8080

USER 10001:10001
WORKDIR /
EXPOSE 8080

# The binary probes http://127.0.0.1:$THIDUA_PORT/healthz itself (no curl in
# the image) and exits 0 on 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/thidua", "healthcheck"]

# SIGTERM starts the graceful drain (THIDUA_SHUTDOWN_DEADLINE_S, default 8 s);
# give the engine a longer stop timeout than that.
STOPSIGNAL SIGTERM
CMD ["/usr/local/bin/thidua"]

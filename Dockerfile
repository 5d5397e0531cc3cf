# Porter's image: `node /app/bin/porter.mjs` (TypeScript run through tsx) with the Rust addon built in.
#
# BUILD_BASE needs Node 20 with npm, cargo and rustc (a recent stable) and a C linker (cc); RUNTIME_BASE
# needs Node 20 at /usr/local/bin/node and setcap (libcap2-bin). With a registry, for example
#   --build-arg BUILD_BASE=<a node:20-bookworm image with rustup's stable toolchain>
#   --build-arg RUNTIME_BASE=<node:20-bookworm-slim with libcap2-bin>
# scripts/image.mjs makes both locally, from a debootstrapped Debian bookworm, and builds this file.
ARG BUILD_BASE=localhost/porter-base-build:bookworm
ARG RUNTIME_BASE=localhost/porter-base-node:bookworm

FROM ${BUILD_BASE} AS build
WORKDIR /app
# The manifests and the Rust sources first: `npm ci` runs the install script, which builds the addon,
# so this layer is rebuilt only when dependencies or native code change.
COPY package.json package-lock.json Cargo.toml Cargo.lock ./
COPY scripts/build-native.mjs scripts/
COPY native/ native/
RUN npm ci --no-audit --no-fund \
 && test -f native/node/porter.linux-x64-gnu.node \
 && rm -rf target
COPY bin/ bin/
COPY cli/ cli/
COPY controller/ controller/
COPY engine/ engine/
COPY examples/ examples/
COPY tsconfig.json ./
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${RUNTIME_BASE}
# The speaker listens on TCP 179 as a non-root user. Kubernetes gives such a process no ambient
# capabilities, so it runs this copy of node, which carries cap_net_bind_service as a file capability;
# the controller runs the plain node, which carries none and so starts with every capability dropped.
RUN cp /usr/local/bin/node /usr/local/bin/node-net-bind \
 && setcap cap_net_bind_service=+ep /usr/local/bin/node-net-bind
COPY --from=build /app /app
ENV NODE_ENV=production
USER 65532:65532
WORKDIR /app
ENTRYPOINT ["/usr/local/bin/node", "/app/bin/porter.mjs"]
CMD ["--help"]

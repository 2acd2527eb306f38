# One image per service, all from this file (any builder: no BuildKit-only syntax, so docker-compose v1 builds it too):
#   docker build --target router     -t pyairtable/router .
#   docker build --target auth       -t pyairtable/auth .
#   docker build --target users      -t pyairtable/users .
#   docker build --target workspaces -t pyairtable/workspaces .
#   docker build --target migrate    -t pyairtable/migrate .
# The active Node LTS (.nvmrc names the same line); glibc (Debian) rather than Alpine, so bcrypt's prebuilt binary
# loads without a compiler.
ARG NODE_IMAGE=node:24-bookworm-slim

# Every workspace's package.json and the lockfile: enough for `npm ci`, so dependency layers are rebuilt only when
# one of them changes. A new workspace must be added here (tests/deployment checks it).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/common/package.json packages/common/
COPY local-graph/package.json local-graph/
COPY packages/migrator/package.json packages/migrator/
COPY packages/schema-tools/package.json packages/schema-tools/
COPY subgraphs/auth/package.json subgraphs/auth/
COPY subgraphs/users/package.json subgraphs/users/
COPY subgraphs/workspaces/package.json subgraphs/workspaces/
COPY router/package.json router/

# Compiles everything. The Prisma clients are generated here (the prisma CLI is a dev dependency) into each
# subgraph's src/generated, so tsc compiles them into its dist with the rest.
FROM manifests AS build
# No install scripts: the root postinstall needs the sources (run below) and Prisma's would download engines this
# project never uses.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run db:generate && npm run build

# Production dependencies of one workspace each: no dev dependencies, and no optional ones either, because npm
# keeps a dev dependency that is also an optional peer of a production one (the prisma CLI, typescript) unless
# both are omitted. bcrypt needs no install script: its package ships prebuilt binaries.
FROM manifests AS deps-router
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --workspace router
# The repository's patches to its dependencies (patches/: @apollo/gateway loads its disabled usage telemetry lazily),
# applied here as the root postinstall applies them to a development install.
COPY patches/ patches/
RUN npx --yes patch-package@8.0.1 --error-on-fail
FROM manifests AS deps-auth
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --workspace subgraphs/auth
FROM manifests AS deps-users
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --workspace subgraphs/users
FROM manifests AS deps-workspaces
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --workspace subgraphs/workspaces
FROM manifests AS deps-migrate
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --workspace packages/migrator

# What every final image shares. The files stay owned by root, so the service cannot change its own code; it runs
# as the base image's "node" user, named by number so Kubernetes' runAsNonRoot can verify it.
FROM ${NODE_IMAGE} AS runtime
# The services never run npm, yarn or corepack: fewer tools for whoever gets a shell in the container.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
    /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production
WORKDIR /app
USER 1000:1000

FROM runtime AS service
# Liveness only: readiness (/ready) depends on Postgres and Redis and belongs to the orchestrator's probes.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

FROM service AS router
COPY --from=deps-router /app/ ./
COPY --from=build /app/packages/common/dist/ packages/common/dist/
COPY --from=build /app/router/dist/ router/dist/
COPY supergraph.graphql ./
COPY operations/rest/ operations/rest/
# The web client's operations: their names are the values the router's operation metric label may take.
COPY operations/frontend/ operations/frontend/
ENV PORT=8000
EXPOSE 8000
# Node 20's young generation (2 × 16 MB): Node 24's V8 keeps 2 × 32 MB, which under load held about 100 MB more RSS
# for no measurable CPU (README, "Our router against GraphQL Hive Gateway"). V8 reads it at start only, so it is a
# flag here rather than a setting like HEAP_GROWING_PERCENT.
CMD ["node", "--max-semi-space-size=16", "router/dist/main.js"]

FROM service AS auth
COPY --from=deps-auth /app/ ./
COPY --from=build /app/packages/common/dist/ packages/common/dist/
COPY --from=build /app/subgraphs/auth/dist/ subgraphs/auth/dist/
COPY subgraphs/auth/schema.graphql subgraphs/auth/
ENV PORT=8004
EXPOSE 8004
CMD ["node", "subgraphs/auth/dist/main.js"]

FROM service AS users
COPY --from=deps-users /app/ ./
COPY --from=build /app/packages/common/dist/ packages/common/dist/
COPY --from=build /app/subgraphs/users/dist/ subgraphs/users/dist/
COPY subgraphs/users/schema.graphql subgraphs/users/
ENV PORT=8005
EXPOSE 8005
CMD ["node", "subgraphs/users/dist/main.js"]

FROM service AS workspaces
COPY --from=deps-workspaces /app/ ./
COPY --from=build /app/packages/common/dist/ packages/common/dist/
COPY --from=build /app/subgraphs/workspaces/dist/ subgraphs/workspaces/dist/
COPY subgraphs/workspaces/schema.graphql subgraphs/workspaces/
ENV PORT=8006
EXPOSE 8006
CMD ["node", "subgraphs/workspaces/dist/main.js"]

# Applies the committed migrations (prisma/*/migrations) and exits; with `--check [--wait <seconds>]` it only
# reports whether they are applied (init containers use that to hold a new version back until they are).
FROM runtime AS migrate
COPY --from=deps-migrate /app/ ./
COPY --from=build /app/packages/migrator/dist/ packages/migrator/dist/
COPY prisma/ prisma/
ENTRYPOINT ["node", "packages/migrator/dist/cli.js"]

# syntax=docker/dockerfile:1
# One image for both Switchboard processes:
#   API:    node dist/api/main.js      (the default command)
#   worker: node dist/workers/main.js  (docker-compose.yml overrides the command)
# The worker bundles dist/workflows/index.js with webpack when it starts.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# --- build: all dependencies, TypeScript -> dist/ -------------------------------
FROM base AS build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
# allowJs emits temporal/failure-converter.cjs (loaded by path, also inside the
# workflow sandbox); fail the build here rather than at the first workflow task.
RUN npm run build \
 && test -f dist/temporal/failure-converter.cjs \
 && test -f dist/workflows/index.js

# --- production dependencies only ------------------------------------------------
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

# --- runtime ---------------------------------------------------------------------
FROM base AS runtime
# CA roots for the Temporal core (Rust) when connecting over TLS, e.g. Temporal Cloud.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
# package.json carries "type": "module", which dist/ needs. Files stay owned by
# root: the `node` user can read, not modify, the application.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Liveness of the API (GET /healthz on $PORT). Without curl: Node's fetch.
# The worker serves no HTTP: docker-compose.yml disables this check for it;
# elsewhere override with --health-cmd / --no-healthcheck or a compose `healthcheck:`.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/api/main.js"]

# syntax=docker/dockerfile:1
# One image per service, every one from this file with the repository root as context:
#
#   docker buildx build --build-arg SERVICE_DIR=subgraphs/scheduling --build-arg SERVICE_PORT=4001 \
#     --tag booking-platform/scheduling .
#
# `npm run docker:build` builds every service of the registry this way, and docker-compose.yml
# builds the same images.

# Production's Node: the LTS line docs/deploying.md names (e2e/deploy/compose.test.ts checks every
# stage starts from it).
ARG NODE_IMAGE=node:24-bookworm-slim

# Everything is installed and built once: this stage does not depend on the service, so every
# image shares it.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
RUN npx turbo run build --output-logs=errors-only
RUN node scripts/writeProductionManifests.mjs /manifests

# One service's files: its production dependencies, and the build of every workspace package it
# runs (itself and the ones npm linked for it) with the schema files and a simulator's OpenAPI
# document (`openapi.json`) beside their `dist/`.
FROM ${NODE_IMAGE} AS service-files
ARG SERVICE_DIR
WORKDIR /app
COPY --from=build /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    : "${SERVICE_DIR:?build with --build-arg SERVICE_DIR=<service folder>}" \
 && npm ci --omit=dev --workspace="${SERVICE_DIR}" --ignore-scripts --no-audit --no-fund
RUN --mount=type=bind,from=build,source=/app,target=/build \
    for link in $(find node_modules -maxdepth 2 -type l -not -path "node_modules/.bin/*"); do \
      dir="$(realpath --relative-to=/app "$link")"; \
      cp -R "/build/${dir}/dist" "${dir}/"; \
      find "/build/${dir}" -maxdepth 1 \( -name '*.graphql' -o -name 'openapi.json' \) -exec cp {} "${dir}/" \; ; \
    done

FROM ${NODE_IMAGE}
ARG SERVICE_DIR
ARG SERVICE_PORT
ENV NODE_ENV=production HOST=0.0.0.0 PORT=${SERVICE_PORT}
WORKDIR /app
COPY --from=service-files /app/ ./
# Read-only data the services read at run time, the same few hundred kilobytes in every image:
# the composed supergraph and the provider contract, the SDK's persisted-documents manifest (the
# gateway's trusted documents) and the repository's copy of the published standards (the RIV-TA
# and SMART simulators), each where it is in the repository.
COPY --from=build /app/schema/ schema/
COPY --from=build /app/sdk/src/__generated__/persisted-documents.json sdk/src/__generated__/
COPY --from=build /app/standards/ standards/
WORKDIR /app/${SERVICE_DIR}
USER node
EXPOSE ${SERVICE_PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "--import", "@booking/telemetry/register", "dist/index.js"]

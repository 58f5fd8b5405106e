# syntax=docker/dockerfile:1
#
# Every service's image, built from the repository root (the npm workspace needs the root lockfile and the
# libraries); SERVICE names the folder under services/, PORTS what it listens on:
#   docker build --build-arg SERVICE=identification --build-arg PORTS="50051 9101" -t shouwang/identification:0.1.0 .
# docker-compose.yml passes both for each service (tests/deploy checks them against its environment).
ARG NODE_IMAGE=node:20-bookworm-slim

# --- manifests: only the package.json files and the lockfile, so the `npm ci` layer below stays cached
# until a dependency changes, with no per-workspace COPY line to maintain when a package is added.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /out \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /out/ \; \
 && cp package-lock.json .npmrc /out/

# --- build: install everything, compile this service and the libraries it references (tsc -b follows
# the project references), build the service's web console if it has one (services/<service>/console, a
# Vite app whose packages are all devDependencies, so before the prune), then drop dev dependencies.
# Sources stay next to dist/ for source maps.
FROM ${NODE_IMAGE} AS build
ARG SERVICE
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<a folder of services/>' >&2; exit 1; }
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY tsconfig.base.json tsconfig.json ./
COPY libs/ libs/
COPY services/${SERVICE}/ services/${SERVICE}/
RUN npx tsc -b "services/${SERVICE}" \
 && test -f "services/${SERVICE}/dist/main.js" \
 && if [ -d "services/${SERVICE}/console" ]; then \
      npm run build -w "services/${SERVICE}/console" \
      && test -f "services/${SERVICE}/console/dist/index.html"; \
    fi \
 && npm prune --omit=dev \
 && rm -rf "services/${SERVICE}/console/node_modules" \
 && find libs services -name '*.tsbuildinfo' -delete

# --- runtime: node, production node_modules and compiled output (a console's dist/ included: the service
# serves it at /console/), owned by root and run as uid 1000.
# Nothing writes to the image's filesystem at run time, so it runs with a read-only root filesystem
# (mount a writable /tmp).
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG PORTS
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules/ node_modules/
COPY --from=build /app/libs/ libs/
COPY --from=build /app/services/${SERVICE}/ services/${SERVICE}/
# One CMD for every service: main.js links to the service's entry point (node resolves the link, so the
# service's modules load from their own folder).
RUN ln -s "services/${SERVICE}/dist/main.js" main.js && test -e main.js
# The image's `node` user, given numerically so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# The gateway: HTTP_PORT (public REST, /healthz, /readyz, /metrics); the others: GRPC_PORT (gRPC API and
# grpc.health.v1) and HTTP_PORT (/healthz, /readyz, /metrics).
EXPOSE ${PORTS}
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and receives SIGTERM itself; the service kit drains in-flight work, then closes.
CMD ["node", "main.js"]

# driftwatch service image (used by docker-compose.yml): a build stage compiles the TypeScript, the
# runtime stage holds only production dependencies and the compiled output, and runs as a non-root
# user. Build: docker build -t driftwatch .   Run: docker run driftwatch serve --role all

# ---- build: install every dependency and compile ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY detectors ./detectors
COPY alerts ./alerts
COPY dashboards ./dashboards
RUN npm run build

# ---- production dependencies only ----
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime ----
FROM node:20-bookworm-slim AS runtime
# The API listens on every interface of the container; without auth.tokens it refuses to start
# there unless DRIFTWATCH_ALLOW_ANONYMOUS=true (docs/api.md).
ENV NODE_ENV=production \
    DRIFTWATCH_PORT=8080 \
    DRIFTWATCH_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
# The image's built-in unprivileged user (uid 1000); nothing in /app is writable by it.
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.DRIFTWATCH_PORT || '8080') + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve", "--role", "all"]

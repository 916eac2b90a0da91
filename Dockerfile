# syntax=docker/dockerfile:1
# sandbox-twin production image. The build stage compiles TypeScript and bundles the CLI with its
# dependencies into one file (dist/bundle/sandbox-twin.mjs); the runtime stage carries that file, the
# bundled data (fixtures/, scenarios/) and package.json, and no node_modules at all.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY mock ./mock
RUN npm run build

FROM node:22-bookworm-slim AS runtime
# tini as PID 1 forwards SIGTERM so the sandbox flushes its state and journal on `docker stop`.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=build /app/dist/bundle ./dist/bundle
COPY --from=build /app/dist/console-assets ./dist/console-assets
COPY fixtures ./fixtures
COPY scenarios ./scenarios
RUN mkdir -p /app/.sandbox && chown -R node:node /app/.sandbox
USER node
ENV PORT=8080
EXPOSE 8080
VOLUME ["/app/.sandbox"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/__sandbox/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/bundle/sandbox-twin.mjs"]
CMD ["serve", "--host", "0.0.0.0", "--state", "/app/.sandbox/state.json"]

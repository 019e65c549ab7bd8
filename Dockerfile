# kvlab runs its TypeScript sources directly on Node.js 24 (type stripping), so the image needs no build step.
# Production dependencies only; runs as the unprivileged uid 1000 and works with a read-only root filesystem
# (Node's compile cache goes to /tmp: mount an emptyDir or tmpfs there).
# Two targets: the default (last) one is the product without the simulators; `--target sim` adds them for the
# compose `sim` profile (the simulated classroom).
FROM node:24-slim AS base
ENV NODE_ENV=production \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache
WORKDIR /app
COPY package.json package-lock.json ./
# sim/ is a workspace package (@kvlab/sim); npm ci needs its manifest, not its code.
COPY sim/package.json ./sim/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY handlers ./handlers
COPY diagnostics ./diagnostics
EXPOSE 3000
ENTRYPOINT ["node", "bin/kvlab.js"]

FROM base AS sim
COPY sim ./sim
USER 1000:1000
CMD ["sim", "--bot", "--state-dir", "/tmp/kvlab-sim"]

FROM base AS app
USER 1000:1000
# Every role answers /healthz on KVLAB_HEALTH_PORT (default: PORT, 3000). slim has no curl: Node's fetch asks.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.KVLAB_HEALTH_PORT||process.env.PORT||3000}/healthz`).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["serve", "--role", "all"]

# syntax=docker/dockerfile:1
# The member hub in one image: the Koa server bundled for plain node, plus the admin page and the H5 build it
# serves. Production only: it holds neither mongo-lite nor the WeChat sandbox, so it needs MONGODB_URI and the real
# WeChat settings (README, 部署 / Deployment). `docker compose up` runs it next to a MongoDB replica set.

# --- build: every dependency (the web builds need the dev tools), then `npm run build` -------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /src
# The lockfile is written by npm 11 (see .ci/run); npm 10, which node 20 ships, may call it out of sync.
RUN npm install -g npm@11 --no-audit --no-fund
# Manifests first: the install layer is reused for as long as no dependency changes.
COPY package.json package-lock.json ./
COPY packages/shared/package.json packages/shared/
COPY packages/mongo-lite/package.json packages/mongo-lite/
COPY packages/wechat-sandbox/package.json packages/wechat-sandbox/
COPY apps/server/package.json apps/server/
COPY apps/admin/package.json apps/admin/
COPY apps/miniprogram/package.json apps/miniprogram/
RUN npm ci --no-audit --no-fund
COPY . .
# The admin page, the H5 build, then the server laid out in /image: dist/ without the development engines, the npm
# packages the bundle requires (and theirs, exactly as locked), config/ and the web builds.
RUN npm run build -- --image /image

# --- runtime: node, the bundle and its production packages; no sources, no dev tools --------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Owned by root and read-only to the server: it writes nothing but its logs (stdout).
COPY --from=build /image ./
USER node
EXPOSE 3000
# Liveness only (/healthz never touches the database); /readyz is the readiness probe for a load balancer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: in-flight requests finish, jobs stop, the database closes (10 s at most).
CMD ["node", "--enable-source-maps", "apps/server/dist/main.js"]

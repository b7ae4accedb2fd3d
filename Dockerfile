# syntax=docker/dockerfile:1
# One image for both process roles; ROLE=api|worker (set by docker-compose.yml) picks what it runs.

# --- build: compile TypeScript (src/ and migrations/) to dist/, then keep only production dependencies
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY web ./web
# nest build writes dist/src/main.js and dist/migrations/*.js (the service runs migrations from there);
# vite build writes the console to web/dist, which the api serves at /.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: Node.js and Debian's ffmpeg/ffprobe, running as the unprivileged `node` user
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production AUDIO_DIR=/var/lib/loa/audio
# Application files stay owned by root: the service only reads them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
# The PDF reports' font (DejaVu, with its licence).
COPY assets ./assets
# Created (and owned by node) before VOLUME, so a fresh named volume starts with this owner.
RUN mkdir -p /var/lib/loa/audio && chown node:node /var/lib/loa/audio
VOLUME /var/lib/loa/audio
USER node
EXPOSE 3000
# No HEALTHCHECK here: the worker serves no HTTP. docker-compose.yml checks the api's /api/health.
# Also runnable from the image (docs/airtime.md): node dist/src/airtime/verify.cli.js (npm run airtime:verify) and
# node dist/src/database/prepare.cli.js (npm run db:prepare, as the owner).
CMD ["node", "dist/src/main.js"]

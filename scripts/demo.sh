#!/usr/bin/env bash
# `npm run demo`: starts Loa with a demo commune on this machine and prints where to open it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-machine.sh
bash scripts/ensure-dependencies.sh
# As in production (docs/airtime.md): the owner migrates and grants; the service queries as a role that owns nothing
# and cannot alter the broadcast log.
export DATABASE_MIGRATION_URL="${DATABASE_MIGRATION_URL:-postgres://postgres@127.0.0.1:5432/loa_demo}"
export DATABASE_URL="${DATABASE_URL:-postgres://loa_demo_service:loa-demo-service@127.0.0.1:5432/loa_demo}"
export QUEUE_PREFIX="${QUEUE_PREFIX:-loa-demo}"
export AUDIO_DIR="${AUDIO_DIR:-./audio/demo}"
# A demo on this machine: keys not given are the publicly known development keys (never for real broadcasts).
export LOA_DEVELOPMENT_KEYS="${LOA_DEVELOPMENT_KEYS:-true}"
# The demo runs the sources with ts-node; the console is served from its build, made once here (no network needed).
[ -f web/dist/index.html ] || npx vite build --config web/vite.config.mts --logLevel warn
exec npx ts-node --transpile-only src/demo/main.ts

#!/usr/bin/env bash
# `npm run demo`: starts Loa with a demo commune on this machine and prints where to open it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-machine.sh
bash scripts/ensure-dependencies.sh
# As in production (docs/airtime.md): the owner (loa) migrates and grants; the service queries as a role that owns
# nothing and cannot alter the broadcast log (loa_service), on the database loa_demo, all three from .env.local
# (scripts/local-credentials.sh). An environment that names its own database keeps it.
if [ -z "${DATABASE_URL:-}" ] && [ -z "${DATABASE_MIGRATION_URL:-}" ]; then
  stored() { sed -n "s/^$1=//p" "${LOA_ENV_FILE:-.env.local}" | tail -n 1; }
  DATABASE_MIGRATION_URL=$(stored DEMO_DATABASE_MIGRATION_URL)
  DATABASE_URL=$(stored DEMO_DATABASE_URL)
  export DATABASE_MIGRATION_URL DATABASE_URL
fi
export QUEUE_PREFIX="${QUEUE_PREFIX:-loa-demo}"
export AUDIO_DIR="${AUDIO_DIR:-./audio/demo}"
# A demo on this machine: keys not given are the publicly known development keys (never for real broadcasts).
export LOA_DEVELOPMENT_KEYS="${LOA_DEVELOPMENT_KEYS:-true}"
# The demo runs the sources with ts-node; the console is served from its build, made once here (no network needed).
[ -f web/dist/index.html ] || npx vite build --config web/vite.config.mts --logLevel warn
exec npx ts-node --transpile-only src/demo/main.ts

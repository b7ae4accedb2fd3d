#!/usr/bin/env bash
# `npm test`: the whole suite (unit, then integration on real PostgreSQL, Redis and ffmpeg).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-machine.sh
bash scripts/ensure-dependencies.sh
# The browser tests drive the built console; building it takes a second, so it is always fresh.
npx vite build --config web/vite.config.mts --logLevel warn
exec npx jest --runInBand "$@"

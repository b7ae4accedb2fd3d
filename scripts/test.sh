#!/usr/bin/env bash
# `npm test`: the whole suite (unit, then integration on real PostgreSQL, Redis and ffmpeg).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-machine.sh
bash scripts/ensure-dependencies.sh
exec npx jest --runInBand "$@"

#!/usr/bin/env bash
# `npm test`: `npm run lint`, then the whole suite (unit, then integration on real PostgreSQL, Redis and ffmpeg).
# With arguments (`npm test -- test/x.e2e-spec.ts`), jest runs just those, in band, without the lint.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-machine.sh
bash scripts/ensure-dependencies.sh
# The whole suite starts with the house rules (eslint, prettier --check, both type checks), so CI fails on them first.
if [ $# -eq 0 ]; then npm run lint; fi
# The browser tests drive the built console; building it takes a second, so it is always fresh.
npx vite build --config web/vite.config.mts --logLevel warn
if [ $# -gt 0 ]; then exec npx jest --runInBand "$@"; fi

# Three shards side by side, each in band with its own database (its own global setup) and a queue prefix per file:
# most integration time is spent waiting (for instants, real-time playback, failure detection), not computing, so
# three fit on two cores (the machine's load stays under three).
shards=${TEST_SHARDS:-3}
pids=()
for shard in $(seq 1 "$shards"); do
  npx jest --runInBand --shard="$shard/$shards" 2>&1 | sed -u "s|^|[$shard/$shards] |" &
  pids+=("$!")
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit "$status"

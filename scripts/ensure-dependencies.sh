#!/usr/bin/env bash
# Installs the npm dependencies from the lock file when they are missing or older than it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  printf '[loa] Installing npm dependencies (npm ci)\n'
  npm ci --no-audit --no-fund
fi

#!/usr/bin/env bash
# Makes sure what Loa needs outside npm is here and running: ffmpeg, PostgreSQL, Redis.
# Installs ffmpeg (Chromium, for the console's browser tests, and poppler-utils, for the report tests) from Debian's packages when missing (needs root), starts local services that are down.
set -euo pipefail

say() { printf '[loa] %s\n' "$*"; }

apt_install() {
  if [ "$(id -u)" != "0" ]; then
    say "Missing: $*. Install it with: sudo apt-get install -y $*"
    exit 1
  fi
  say "Installing $* from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || apt_install ffmpeg
[ -x /usr/bin/chromium ] || apt_install chromium
# pdftotext, pdfinfo, pdffonts: the report tests read the PDFs Loa prints.
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null || apt_install poppler-utils

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    say "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || { say "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 1; }
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    say "Starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/loa.log
  fi
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { say "Redis is not reachable on 127.0.0.1:6379"; exit 1; }
fi

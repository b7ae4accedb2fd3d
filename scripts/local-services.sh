#!/usr/bin/env bash
# PostgreSQL and Redis for Loa on this machine: installs them from Debian's packages when missing (as root), starts
# them when down and waits until they answer, then has scripts/local-credentials.sh give Loa its own PostgreSQL roles
# and write their connection strings to .env.local.
# LOA_POSTGRES_PORT (5432), LOA_REDIS_PORT (6379) and LOA_ENV_FILE (.env.local) point it at other servers and files.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-install.sh

PG_PORT="${LOA_POSTGRES_PORT:-5432}"
REDIS_PORT="${LOA_REDIS_PORT:-6379}"

# Waits up to 30 s for `$@` to succeed.
wait_for() {
  for _ in $(seq 1 30); do "$@" && return 0; sleep 1; done
  "$@"
}

postgres_answers() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }
if ! postgres_answers; then
  command -v pg_ctlcluster >/dev/null && command -v pg_isready >/dev/null || apt_install postgresql
  # Debian's package creates and starts its cluster where systemd runs; elsewhere (containers) it is started here.
  if ! postgres_answers; then
    cluster=$(pg_lsclusters --no-header | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }')
    [ -n "$cluster" ] || { say "No PostgreSQL cluster of this machine listens on port $PG_PORT (see pg_lsclusters)"; exit 1; }
    if [ "$(id -u)" != "0" ]; then
      say "PostgreSQL $cluster is down. Start it with: sudo pg_ctlcluster $cluster start"
      exit 1
    fi
    say "Starting PostgreSQL $cluster"
    # shellcheck disable=SC2086 # "version name", two arguments
    pg_ctlcluster --skip-systemctl-redirect $cluster start
  fi
  wait_for postgres_answers || { say "PostgreSQL is not reachable on 127.0.0.1:$PG_PORT"; exit 1; }
fi

redis_answers() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; }
if ! redis_answers; then
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || apt_install redis-server
  if ! redis_answers; then
    if [ "$(id -u)" != "0" ]; then
      say "Redis is down. Start it with: sudo systemctl start redis-server"
      exit 1
    fi
    say "Starting Redis on port $REDIS_PORT"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /var/lib/redis --logfile "/var/log/redis/loa-$REDIS_PORT.log"
  fi
  wait_for redis_answers || { say "Redis is not reachable on 127.0.0.1:$REDIS_PORT"; exit 1; }
fi

bash scripts/local-credentials.sh

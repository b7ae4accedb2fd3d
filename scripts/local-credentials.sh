#!/usr/bin/env bash
# Gives Loa its own PostgreSQL roles on this machine's server and keeps their connection strings in .env.local
# (git-ignored, mode 600), which `npm start`, `npm run demo` and `npm test` read; the environment wins over it.
#   loa          owns the databases loa and loa_demo (created here) and migrates them
#   loa_service  what the service queries as: owns nothing, gets its grants from loa (docs/airtime.md)
#   loa_test     the tests' role: creates, migrates and drops a database per run (CREATEDB), creates and drops
#                service roles (CREATEROLE), ends the sessions of its databases (pg_signal_backend) and turns
#                triggers off as an attacker would (SET session_replication_role)
# Passwords are generated once and never rely on trust authentication. Roles are created over the local socket as
# the postgres user (peer authentication, as Debian ships it); nothing else of PostgreSQL's configuration is touched.
# A second run changes nothing: the roles and .env.local stay as they are while their passwords connect.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-install.sh

PG_PORT="${LOA_POSTGRES_PORT:-5432}"
REDIS_PORT="${LOA_REDIS_PORT:-6379}"
ENV_FILE="${LOA_ENV_FILE:-.env.local}"

# The value of KEY in .env.local, empty when it is not there.
stored() { [ -f "$ENV_FILE" ] && sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1 || true; }
# The password of a stored postgres:// URL, or a new random one.
password_of() {
  local known
  known=$(stored "$1" | sed -n 's|^postgres://[^:]*:\([0-9a-f]*\)@.*|\1|p')
  if [ -n "$known" ]; then printf '%s' "$known"; else od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; fi
}
url() { printf 'postgres://%s:%s@127.0.0.1:%s/%s' "$1" "$2" "$PG_PORT" "$3"; }
connects() { PGCONNECT_TIMEOUT=5 psql "$1" -qtAXc 'SELECT 1' >/dev/null 2>&1; }

OWNER_PASSWORD=$(password_of DATABASE_MIGRATION_URL)
SERVICE_PASSWORD=$(password_of DATABASE_URL)
TEST_PASSWORD=$(password_of TEST_ADMIN_DATABASE_URL)

CONTENT="# Written by scripts/prepare-machine.sh: this machine's PostgreSQL roles for Loa and its Redis.
# Variables set in the environment win over these. Delete this file to have new passwords set.
DATABASE_MIGRATION_URL=$(url loa "$OWNER_PASSWORD" loa)
DATABASE_URL=$(url loa_service "$SERVICE_PASSWORD" loa)
DEMO_DATABASE_MIGRATION_URL=$(url loa "$OWNER_PASSWORD" loa_demo)
DEMO_DATABASE_URL=$(url loa_service "$SERVICE_PASSWORD" loa_demo)
TEST_ADMIN_DATABASE_URL=$(url loa_test "$TEST_PASSWORD" postgres)
REDIS_URL=redis://127.0.0.1:$REDIS_PORT"

ready() {
  [ -f "$ENV_FILE" ] && [ "$(cat "$ENV_FILE")" = "$CONTENT" ] &&
    connects "$(url loa "$OWNER_PASSWORD" loa)" && connects "$(url loa "$OWNER_PASSWORD" loa_demo)" &&
    connects "$(url loa_service "$SERVICE_PASSWORD" loa)" && connects "$(url loa_test "$TEST_PASSWORD" postgres)"
}
ready && exit 0

if [ "$(id -u)" != "0" ]; then
  if [ -n "${DATABASE_URL:-}" ]; then
    say "Using DATABASE_URL from the environment; give Loa its own roles with: sudo bash scripts/prepare-machine.sh"
    exit 0
  fi
  say "Loa has no PostgreSQL roles of its own yet. Create them (and $ENV_FILE) once with: sudo bash scripts/prepare-machine.sh"
  exit 1
fi

as_postgres() { PGOPTIONS='-c client_min_messages=warning' runuser -u postgres -- psql -p "$PG_PORT" -qtAX -v ON_ERROR_STOP=1 "$@"; }

# What is there already, in one query: "role:<name>" and "database:<name>:<owner>" lines.
STATE=$(as_postgres -c "SELECT 'role:' || rolname FROM pg_roles WHERE rolname IN ('loa', 'loa_service', 'loa_test')
  UNION ALL SELECT 'database:' || datname || ':' || pg_get_userbyid(datdba) FROM pg_database WHERE datname IN ('loa', 'loa_demo')")
# The statements to run, in one session at the end.
SQL=""

# Creates role $1 with password $2 and attributes $3, or, when it exists and $2 does not log in, sets $2.
ensure_role() {
  if ! grep -qx "role:$1" <<<"$STATE"; then
    say "Creating the PostgreSQL role $1"
    SQL+="CREATE ROLE $1 LOGIN $3 PASSWORD '$2';"$'\n'
  elif ! connects "$(url "$1" "$2" postgres)"; then
    say "Setting a new password for the PostgreSQL role $1"
    SQL+="ALTER ROLE $1 PASSWORD '$2';"$'\n'
  fi
}

ensure_database() {
  local owner
  owner=$(sed -n "s/^database:$1://p" <<<"$STATE")
  if [ -z "$owner" ]; then
    say "Creating the database $1, owned by loa"
    SQL+="CREATE DATABASE $1 OWNER loa;"$'\n'
  elif [ "$owner" != loa ]; then
    say "The database $1 belongs to $owner, so loa cannot migrate it: drop it (runuser -u postgres -- dropdb $1) to have a new one made, or set DATABASE_URL to use it"
  fi
}

ensure_role loa "$OWNER_PASSWORD" "NOSUPERUSER NOCREATEDB NOCREATEROLE"
ensure_role loa_service "$SERVICE_PASSWORD" "NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
ensure_role loa_test "$TEST_PASSWORD" "NOSUPERUSER CREATEDB CREATEROLE"
ensure_database loa
ensure_database loa_demo
# Granting again what a role holds changes nothing. PostgreSQL 15 and later can grant a superuser-only setting.
as_postgres <<SQL
$SQL
GRANT pg_signal_backend TO loa_test;
SELECT current_setting('server_version_num')::int >= 150000 AS settable \gset
\if :settable
GRANT SET ON PARAMETER session_replication_role TO loa_test;
\endif
SQL

if [ ! -f "$ENV_FILE" ] || [ "$(cat "$ENV_FILE")" != "$CONTENT" ]; then
  say "Writing the connection strings to $ENV_FILE"
  (umask 077 && printf '%s\n' "$CONTENT" >"$ENV_FILE")
  # Run with sudo for a user's checkout: the file is the user's.
  chown "$(stat -c %u:%g "$(dirname "$ENV_FILE")")" "$ENV_FILE"
fi

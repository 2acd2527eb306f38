#!/usr/bin/env bash
# Makes sure the services the tests need are reachable before they run, starting the machine's own
# PostgreSQL and Redis if they are installed but stopped. With TEST_DATABASE_URL / TEST_REDIS_URL set to
# other servers, it only checks them.
set -uo pipefail

postgres_url="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
redis_url="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"

postgres_up() { command -v psql >/dev/null && psql "$postgres_url" -Atqc 'select 1' >/dev/null 2>&1; }
redis_up() { command -v redis-cli >/dev/null && [ "$(redis-cli -u "$redis_url" ping 2>/dev/null)" = "PONG" ]; }

if ! postgres_up && [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_ctlcluster >/dev/null; then
  echo "starting the local PostgreSQL cluster" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi
if ! redis_up && [ -z "${TEST_REDIS_URL:-}" ] && command -v redis-server >/dev/null; then
  echo "starting the local Redis" >&2
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
fi

for _ in $(seq 1 30); do
  postgres_up && redis_up && exit 0
  sleep 1
done
postgres_up || echo "PostgreSQL is not reachable at $postgres_url (set TEST_DATABASE_URL)" >&2
redis_up || echo "Redis is not reachable at $redis_url (set TEST_REDIS_URL)" >&2
exit 1

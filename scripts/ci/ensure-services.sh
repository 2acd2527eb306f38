#!/usr/bin/env bash
# Makes sure what the tests need is there before they run: Debian's Chromium (for the GraphiQL browser
# test) and docker-compose (v1, only to validate docker-compose.yml), both installed with apt-get when missing
# and we are root; kubectl, which renders k8s/, comes with the machine image; and reachable PostgreSQL and Redis
# (the machine's own are started if installed but stopped). With TEST_DATABASE_URL / TEST_REDIS_URL set to
# other servers, it only checks them.
set -uo pipefail

if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser test" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || echo "could not install chromium" >&2
fi

if ! command -v docker-compose >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's docker-compose to validate docker-compose.yml" >&2
  # Without recommends: those would bring a Docker engine, which the checks do not use.
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null \
    || echo "could not install docker-compose" >&2
fi

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

#!/usr/bin/env bash
# Run a command beside a throw-away PostgreSQL cluster, then stop the cluster and remove it.
#
#     bash scripts/with_postgres.sh COMMAND [ARGS…]
#
# The cluster lives in a temporary folder, listens on 127.0.0.1 only, on a free port, with
# password authentication; COMMAND gets CCHC_TEST_DATABASE_URL=postgresql://cchc:…@127.0.0.1:PORT/postgres
# (the maintenance database: the portal's tests create their own databases there and drop them).
# Needs Debian's PostgreSQL server packages (scripts/test.sh installs them). As root, initdb and
# the server run as the user postgres (PostgreSQL refuses to run as root).
set -euo pipefail

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with_postgres.sh: PostgreSQL server not found (apt-get install postgresql)" >&2
  exit 3
fi

run_as=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "with_postgres.sh: no user postgres" >&2; exit 3; }
  run_as=(runuser -u postgres --)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cchc-pg.XXXXXX")"
password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$password" >"$work/pwfile"
mkdir -p "$work/run"
[ ${#run_as[@]} -gt 0 ] && chown -R postgres: "$work"

stop() {
  status=$?
  if [ -f "$work/data/postmaster.pid" ]; then
    "${run_as[@]}" "$bindir/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit $status
}
trap stop EXIT INT TERM

"${run_as[@]}" "$bindir/initdb" -D "$work/data" -U cchc --pwfile="$work/pwfile" --auth=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 3; }

port=""
for _ in 1 2 3 4 5; do
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  if "${run_as[@]}" "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
       -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/run -c max_connections=200" \
       start >/dev/null; then
    break
  fi
  port=""
done
if [ -z "$port" ]; then
  echo "with_postgres.sh: the cluster did not start" >&2
  cat "$work/server.log" >&2 || true
  exit 3
fi
for _ in $(seq 1 60); do
  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" || { echo "with_postgres.sh: not ready" >&2; exit 3; }

export CCHC_TEST_DATABASE_URL="postgresql://cchc:${password}@127.0.0.1:${port}/postgres"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throw-away cluster in $work)" >&2
set +e
"$@"

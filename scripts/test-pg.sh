#!/usr/bin/env bash
# Runs the store tests against a real PostgreSQL from Debian's packages:
# installs `postgresql` if missing, starts a throwaway cluster on 127.0.0.1 on a free port,
# runs the store tests (src/store/*.test.ts) with HOTLINE_TEST_PG set, and removes the cluster on exit.
# Extra arguments go to tap (e.g. a single test file).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test-pg: PostgreSQL is not installed; install Debian's 'postgresql' package (needs root)" >&2
    exit 1
  fi
  echo "test-pg: installing postgresql (apt-get)…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(pg_bin)

# initdb refuses to run as root: the cluster belongs to an unprivileged user.
if [ "$(id -u)" = 0 ]; then
  RUN_AS=(runuser -u postgres --)
else
  RUN_AS=()
fi

DIR=$(mktemp -d /tmp/hotline-pg.XXXXXX)
chmod 755 "$DIR"
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"

PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

cleanup() {
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

# trust auth is acceptable only because the cluster listens on loopback and lives for one run.
"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }
"${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres hotline_test

export HOTLINE_TEST_PG="postgres://postgres@127.0.0.1:$PORT/hotline_test"
echo "test-pg: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on $HOTLINE_TEST_PG" >&2
if [ $# -gt 0 ]; then
  npx tap "$@"
else
  npx tap src/store/*.test.ts
fi

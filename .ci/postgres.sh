# shellcheck shell=bash
# Throwaway PostgreSQL for tests. Source this file, then
#
#	tracksync_pg_start   # starts a cluster, exports TRACKSYNC_POSTGRES_DSN
#	tracksync_pg_stop    # stops it and deletes its directory
#
# The cluster lives in a mktemp directory, listens on 127.0.0.1 on a free
# port and keeps its unix socket in that directory, so it touches nothing
# else on the machine. initdb refuses to run as root: as root, the cluster
# runs as the postgres user. It trades durability for speed (fsync off):
# it is for tests, never for data.

tracksync_pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

# tracksync_pg_as runs a command as the cluster's user.
tracksync_pg_as() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

tracksync_pg_start() {
  local bindir port tries
  if ! bindir=$(tracksync_pg_bindir); then
    echo "== installing PostgreSQL from the OS packages (no initdb found)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(tracksync_pg_bindir) || { echo "PostgreSQL install failed: no initdb" >&2; return 1; }
  fi
  TRACKSYNC_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tracksync-pg.XXXXXX")
  TRACKSYNC_PG_BIN=$bindir
  chmod 755 "$TRACKSYNC_PG_DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$TRACKSYNC_PG_DIR"; fi
  tracksync_pg_as "$bindir/initdb" -D "$TRACKSYNC_PG_DIR/data" -U tracksync --auth=trust \
    -E UTF8 --locale=C --no-sync >"$TRACKSYNC_PG_DIR/initdb.log" 2>&1 ||
    { cat "$TRACKSYNC_PG_DIR/initdb.log" >&2; return 1; }
  cat >>"$TRACKSYNC_PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TRACKSYNC_PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
  # A port that is free now may be taken before the server binds it: try a few.
  for tries in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    if tracksync_pg_as "$bindir/pg_ctl" -D "$TRACKSYNC_PG_DIR/data" -l "$TRACKSYNC_PG_DIR/server.log" \
      -o "-p $port" -w -t 60 start >/dev/null; then
      export TRACKSYNC_POSTGRES_DSN="postgres://tracksync@127.0.0.1:$port/postgres?sslmode=disable"
      echo "== PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($TRACKSYNC_PG_DIR)"
      return 0
    fi
  done
  cat "$TRACKSYNC_PG_DIR/server.log" >&2
  return 1
}

tracksync_pg_stop() {
  if [ -n "${TRACKSYNC_PG_DIR:-}" ] && [ -d "$TRACKSYNC_PG_DIR/data" ]; then
    tracksync_pg_as "$TRACKSYNC_PG_BIN/pg_ctl" -D "$TRACKSYNC_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "${TRACKSYNC_PG_DIR:-}" ]; then rm -rf "$TRACKSYNC_PG_DIR"; fi
  unset TRACKSYNC_PG_DIR TRACKSYNC_POSTGRES_DSN
}

# shellcheck shell=bash
# Starts a throwaway PostgreSQL server for the tests; sourced by .ci/run (and usable by hand:
#   source .ci/postgres.sh && eventlink_pg_start && ... && eventlink_pg_stop).
# eventlink_pg_start installs PostgreSQL from Debian's packages when initdb/pg_ctl are missing, creates a
# cluster in a temporary directory owned by the postgres OS user (initdb refuses to run as root), starts it on
# 127.0.0.1 on a free port, creates a database and exports EVENTLINK_TEST_POSTGRES. eventlink_pg_stop stops the
# server and removes the directory; callers trap it on EXIT so a failed run leaves nothing behind.

EVENTLINK_PG_DIR=""
EVENTLINK_PG_BIN=""

eventlink_pg_log() { echo "[postgres] $*" >&2; }

# Prints the directory holding initdb and pg_ctl, or nothing.
eventlink_pg_find_bin() {
    local dir
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return
    fi
    # Debian keeps the server binaries out of PATH, in /usr/lib/postgresql/<version>/bin; take the newest.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return
        fi
    done
}

# Runs a command as the postgres OS user when we are root, else as ourselves.
eventlink_pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Succeeds when nothing listens on TCP port $1 (reads /proc, so it needs no extra tools).
eventlink_pg_port_free() {
    local hex
    hex=$(printf '%04X' "$1")
    ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '{print $2, $4}' | grep -q ":$hex 0A"
}

eventlink_pg_start() {
    EVENTLINK_PG_BIN=$(eventlink_pg_find_bin)
    if [ -z "$EVENTLINK_PG_BIN" ]; then
        eventlink_pg_log "initdb/pg_ctl not found: installing PostgreSQL from Debian's packages (apt-get install -y postgresql)"
        if [ "$(id -u)" != 0 ]; then
            eventlink_pg_log "cannot install PostgreSQL: not root. Install it, or set EVENTLINK_TEST_POSTGRES to a server's connection string."
            return 1
        fi
        apt-get update -q >&2 || return 1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 || return 1
        EVENTLINK_PG_BIN=$(eventlink_pg_find_bin)
        if [ -z "$EVENTLINK_PG_BIN" ]; then
            eventlink_pg_log "PostgreSQL was installed but initdb/pg_ctl are still not found"
            return 1
        fi
    fi
    eventlink_pg_log "using PostgreSQL binaries in $EVENTLINK_PG_BIN ($("$EVENTLINK_PG_BIN/pg_ctl" --version))"

    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        eventlink_pg_log "creating the postgres OS user (initdb refuses to run as root)"
        useradd --system --no-create-home postgres || return 1
    fi

    EVENTLINK_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/eventlink-pg.XXXXXX") || return 1
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$EVENTLINK_PG_DIR"
    fi
    eventlink_pg_log "creating a throwaway cluster in $EVENTLINK_PG_DIR/data"
    eventlink_pg_as_owner "$EVENTLINK_PG_BIN/initdb" -D "$EVENTLINK_PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
        >"$EVENTLINK_PG_DIR/initdb.log" 2>&1 || { cat "$EVENTLINK_PG_DIR/initdb.log" >&2; return 1; }

    local attempt port started=""
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        eventlink_pg_port_free "$port" || continue
        eventlink_pg_log "starting the server on 127.0.0.1:$port (attempt $attempt)"
        # Durability settings are off: the cluster is thrown away after the run.
        if eventlink_pg_as_owner "$EVENTLINK_PG_BIN/pg_ctl" -D "$EVENTLINK_PG_DIR/data" -l "$EVENTLINK_PG_DIR/server.log" -w -t 60 \
            -o "-p $port -k $EVENTLINK_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            started=1
            break
        fi
        eventlink_pg_log "the server did not start on port $port:"
        tail -n 5 "$EVENTLINK_PG_DIR/server.log" >&2 || true
    done
    if [ -z "$started" ]; then
        eventlink_pg_log "could not start PostgreSQL"
        return 1
    fi

    eventlink_pg_as_owner "$EVENTLINK_PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE eventlink_test" >&2 || return 1
    export EVENTLINK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=eventlink_test"
    eventlink_pg_log "database ready: EVENTLINK_TEST_POSTGRES=$EVENTLINK_TEST_POSTGRES"
}

eventlink_pg_stop() {
    if [ -n "$EVENTLINK_PG_DIR" ] && [ -d "$EVENTLINK_PG_DIR" ]; then
        if [ -f "$EVENTLINK_PG_DIR/data/postmaster.pid" ]; then
            eventlink_pg_log "stopping the server"
            eventlink_pg_as_owner "$EVENTLINK_PG_BIN/pg_ctl" -D "$EVENTLINK_PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
                || eventlink_pg_as_owner "$EVENTLINK_PG_BIN/pg_ctl" -D "$EVENTLINK_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        fi
        rm -rf "$EVENTLINK_PG_DIR"
        eventlink_pg_log "removed $EVENTLINK_PG_DIR"
    fi
    EVENTLINK_PG_DIR=""
}

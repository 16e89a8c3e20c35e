#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL on 127.0.0.1, then stop and remove it.
#
#   scripts/with-postgres.sh .venv/bin/pytest
#
# The server runs as the `postgres` user when we are root (PostgreSQL refuses root), as the
# current user otherwise. Its data lives in a temporary directory; fsync is off (tests only).
# The command sees KRING_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/kring and its exit
# status is this script's exit status.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

# The server binaries are in a versioned folder that is not on PATH; take the newest.
pgbin=""
for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && pgbin="$dir"
done
if [[ -z "$pgbin" ]]; then
    echo "with-postgres: no PostgreSQL server found in /usr/lib/postgresql/*/bin;" \
        "install it with: apt-get install postgresql" >&2
    exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
    as_db=(runuser -u postgres --)
    db_owner=postgres
else
    as_db=()
    db_owner=$(id -un)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kring-pg.XXXXXX")
data="$tmp/data"
sock="$tmp/sock"
mkdir -p "$sock"
started=""

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$started" ]]; then
        "${as_db[@]}" "$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chown -R "$db_owner" "$tmp"
chmod 700 "$tmp"

"${as_db[@]}" "$pgbin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }

# A free port: ask the kernel for one; retry if someone takes it before the server does.
for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if "${as_db[@]}" "$pgbin/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 30 \
        -o "-h 127.0.0.1 -p $port -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
        started=1
        break
    fi
    if [[ $attempt -eq 5 ]]; then
        echo "with-postgres: the server did not start:" >&2
        cat "$tmp/server.log" >&2
        exit 1
    fi
done

"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres kring

export KRING_DATABASE_URL="postgres://postgres@127.0.0.1:$port/kring"
echo "with-postgres: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"

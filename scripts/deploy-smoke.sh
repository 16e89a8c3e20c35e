#!/usr/bin/env bash
# Follow docs/deployment.md step by step, as an operator would, on 127.0.0.1 only:
#
#   scripts/deploy-smoke.sh          (scripts/test.sh deploy; needs make install-dev first)
#
# A throwaway PostgreSQL (scripts/with-postgres.sh) and Redis, a fresh venv with only the runtime
# lock, the owner and application roles, migrations and grants, the first administrator, two
# gunicorn instances and the worker as deploy/*.service start them, an SMTP sink (aiosmtpd from
# the development venv). Then a request through each instance and its mail at the sink, the
# administrator signed in with TOTP at /beheer/, and a backup restored into a new database with
# the same row count in every table. Everything it started is stopped on exit, failure or not.
#
# The guide and this script cannot drift apart: every `<!-- smoke: NAME -->` in
# docs/deployment.md must have a `step NAME` here and every `step NAME` a marker there, or the
# script fails before it starts (tests/deploy/test_smoke_steps.py checks the same in the suite).
# What the script checks beyond the guide is `check NAME`.
#
# Environment: KRING_SMOKE_KEEP=1 keeps the temporary directory (logs, mail) for a look after.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
self=$repo/scripts/$(basename "$0")
guide=docs/deployment.md

documented=$(sed -n 's/^<!-- smoke: \([a-z-]*\) -->$/\1/p' "$guide" | sort)
scripted=$(sed -n 's/^step \([a-z-]*\)$/\1/p' "$self" | sort)
if [[ "$documented" != "$scripted" ]]; then
    echo "deploy-smoke: the steps of $guide and of scripts/$(basename "$self") differ:" >&2
    diff <(echo "$documented") <(echo "$scripted") | sed -n 's/^</  only in the guide:/p; s/^>/  only in the script:/p' >&2
    exit 1
fi

# The throwaway PostgreSQL: run again inside scripts/with-postgres.sh, which stops it on exit.
if [[ -z "${KRING_SMOKE_IN_POSTGRES:-}" ]]; then
    KRING_SMOKE_IN_POSTGRES=1 exec scripts/with-postgres.sh "$self" "$@"
fi
# The superuser's connection, from with-postgres.sh: the "postgres" of the database server.
admin_url=${KRING_DATABASE_URL%/*}/postgres
pg_host_port=${KRING_DATABASE_URL#postgres://postgres@}
pg_host_port=${pg_host_port%%/*}
# Only what the guide's environment file says: nothing from the developer's shell or the tests.
while IFS='=' read -r name _; do unset "$name"; done < <(env | grep -E '^KRING_' | grep -v '^KRING_SMOKE_')
unset DJANGO_SETTINGS_MODULE VIRTUAL_ENV

dev_python=$repo/.venv/bin/python
[[ -x $dev_python ]] || { echo "deploy-smoke: needs .venv (make install-dev)" >&2; exit 1; }
command -v redis-server >/dev/null || {
    echo "deploy-smoke: needs redis-server (apt-get install redis-server)" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kring-smoke.XXXXXX")
chmod 700 "$tmp"
venv=$tmp/venv
etc=$tmp/etc            # stands for /etc/kring
mkdir -p "$etc" "$tmp/work" "$tmp/backups"
declare -A pids=()      # name -> pid of what we started
declare -A stop_signal=()
redis_port=""

cleanup() {
    local status=$? redis_pid=""
    trap - EXIT INT TERM
    # Whatever goes wrong from here (even a closed stderr), everything started is stopped.
    set +e
    trap '' PIPE
    for name in "${!pids[@]}"; do
        kill -s "${stop_signal[$name]:-TERM}" "${pids[$name]}" 2>/dev/null || true
    done
    for name in "${!pids[@]}"; do
        for _ in $(seq 100); do kill -0 "${pids[$name]}" 2>/dev/null || break; sleep 0.1; done
        kill -s KILL "${pids[$name]}" 2>/dev/null || true
    done
    if [[ -f $tmp/redis.pid ]]; then
        redis_pid=$(cat "$tmp/redis.pid")
        kill "$redis_pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    if [[ $status -ne 0 ]]; then
        echo "deploy-smoke: FAILED (exit $status); the logs:" >&2
        for log in "$tmp"/*.log; do
            [[ -f $log ]] || continue
            echo "--- $(basename "$log") (last 30 lines)" >&2
            tail -n 30 "$log" >&2
        done
    fi
    if [[ -n "${KRING_SMOKE_KEEP:-}" ]]; then
        echo "deploy-smoke: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step_started=$SECONDS
say() { echo "deploy-smoke: $*" >&2; }
step() { say "step $1 ($((SECONDS - step_started)) s so far)"; }
check() { say "check $1"; }
browser() { "$dev_python" scripts/deploy_smoke.py "$@"; }
free_port() { browser free-port; }
psql_admin() { psql --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 "$admin_url" "$@"; }
# The guide's two ways of running a command: with the environment file (what every unit reads),
# and with the owner's file loaded after it (migrations, grants, backups).
as_app() { (set -a; . "$etc/env"; set +a; cd "$tmp/work"; "$@"); }
as_owner() { (set -a; . "$etc/env"; . "$etc/owner.env"; set +a; cd "$tmp/work"; "$@"); }
# A command from a unit file of deploy/, with /srv/kring the checkout (its venv: ours).
unit_exec() {
    local unit=$1 instance=${2:-}
    sed -n 's/^ExecStart=//p' "deploy/$unit" \
        | sed -e "s#/srv/kring/.venv#$venv#g" -e "s#/srv/kring#$repo#g" -e "s#%i#$instance#g"
}
unit_value() { sed -n "s/^$2=//p" "deploy/$1"; }
start() {  # start NAME LOG COMMAND...: in the background, stopped on exit
    local name=$1 log=$2
    shift 2
    (set -a; . "$etc/env"; set +a; cd "$tmp/work"; exec "$@") >"$tmp/$log" 2>&1 &
    pids[$name]=$!
}

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$tmp/redis.pid" --dir "$tmp" --logfile "$tmp/redis.log"
smtp_port=$(free_port)
"$dev_python" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$tmp/mail" \
    >"$tmp/smtp.log" 2>&1 &
pids[smtp]=$!

step install
# "python3 -m venv .venv; pip install --require-hashes -r requirements.lock; pip install --no-deps ."
python3 -m venv "$venv"
{
    "$venv/bin/python" -m pip install --disable-pip-version-check --require-hashes \
        -r requirements.lock
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-deps "$repo"
} >"$tmp/install.log" 2>&1
if "$venv/bin/python" -m pip show pytest >/dev/null 2>&1; then
    say "the runtime venv has pytest: requirements.lock holds a development package"
    exit 1
fi

step environment
# The example file, filled in; later lines win when a shell loads it.
app_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
owner_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
install -m 0640 deploy/kring.env.example "$etc/env"
cat >>"$etc/env" <<EOF

# deploy-smoke: this machine
KRING_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
KRING_FIELD_KEYS=$(python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
KRING_ALLOWED_HOSTS=127.0.0.1
KRING_SITE_URL=https://127.0.0.1
KRING_DATABASE_URL=postgres://kring_app:$app_password@$pg_host_port/kring
KRING_TASKS_BACKEND=redis
KRING_REDIS_URL=redis://127.0.0.1:$redis_port/0
KRING_CLIENT_IP_HEADER=HTTP_X_REAL_IP
KRING_EMAIL_HOST=127.0.0.1
KRING_EMAIL_PORT=$smtp_port
KRING_EMAIL_STARTTLS=false
KRING_EMAIL_USER=
KRING_EMAIL_PASSWORD=
KRING_EMAIL_FROM="Kring <kring@example.org>"
KRING_ORGANISATION="Eigen Kracht Centrale"
KRING_STATIC_ROOT=$tmp/static
KRING_VAR_DIR=$tmp/var
KRING_WEB_WORKERS=2
KRING_WEB_THREADS=2
EOF
echo "KRING_DATABASE_URL=postgres://kring_owner:$owner_password@$pg_host_port/kring" >"$etc/owner.env"
echo "KRING_BACKUP_PASSPHRASE='$(python3 -c 'import secrets; print(secrets.token_urlsafe(30))')'" \
    >"$etc/backup.env"
chmod 600 "$etc/owner.env" "$etc/backup.env"

step seal
# The guide's test installation: the two lines in the environment file, then kring make-seal.
seal_passphrase=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
printf '%s\n' "KRING_SEAL_PKCS12=$etc/seal.p12" "KRING_SEAL_PASSPHRASE='$seal_passphrase'" \
    >>"$etc/env"
as_app "$venv/bin/kring" make-seal "$etc/seal.p12" >"$tmp/make-seal.log"
check seal-works
# A PDF made as the worker makes the plan's (WeasyPrint in the runtime venv), sealed with the
# configured seal and recognised by the verification page's check.
as_app "$venv/bin/kring" shell -c "
from weasyprint import HTML
from kring.signing import seal
sealed = seal.seal(HTML(string='<html lang=nl><p>Herstelplan</p></html>').write_pdf())
checked = seal.check(sealed)
assert checked.ok, checked
print('sealed and checked')
" >"$tmp/seal.log" 2>&1 || {
    cat "$tmp/seal.log" >&2
    say "the configured seal does not seal"
    exit 1
}

step deploy-check
# Every warning that remains must be one the guide's "Deploy check" lists as accepted.
as_app "$venv/bin/kring" check --deploy >"$tmp/check.log" 2>&1 || {
    cat "$tmp/check.log" >&2
    exit 1
}
accepted=$(sed -n '/^## Deploy check/,/^## /p' "$guide")
for id in $(grep -oE '\([a-z_]+\.[EWC][0-9]+\)' "$tmp/check.log" | tr -d '()' | sort -u); do
    if ! grep -qF "\`$id\`" <<<"$accepted"; then
        cat "$tmp/check.log" >&2
        say "kring check --deploy reports $id, which the guide's \"Deploy check\" does not list"
        exit 1
    fi
done
check seal-configured
if grep -q 'kring\.W002' "$tmp/check.log"; then
    cat "$tmp/check.log" >&2
    say "kring.W002 remains although the guide's seal is configured"
    exit 1
fi

step database
# createuser --pwprompt kring_owner; createuser --pwprompt kring_app;
# createdb --owner kring_owner --encoding UTF8 kring; REVOKE ... FROM PUBLIC; GRANT CONNECT ...
psql_admin -c 'DROP DATABASE kring' # with-postgres.sh made one; the guide makes its own
psql_admin -c "CREATE ROLE kring_owner LOGIN PASSWORD '$owner_password'"
psql_admin -c "CREATE ROLE kring_app LOGIN PASSWORD '$app_password'"
psql_admin -c "CREATE DATABASE kring OWNER kring_owner ENCODING 'UTF8'"
# with-postgres.sh trusts every local connection; Kring's roles sign in with their passwords,
# so that a wrong URL in the environment files fails here as it would on a real server.
hba=$(psql_admin -c 'SHOW hba_file')
{ echo "host all kring_owner,kring_app 127.0.0.1/32 scram-sha-256"; cat "$hba"; } >"$tmp/hba"
cat "$tmp/hba" >"$hba"
psql_admin -c 'SELECT pg_reload_conf()' >/dev/null
for attempt in $(seq 50); do  # the reload is asynchronous: until a wrong password is refused
    psql --no-psqlrc -q "postgres://kring_app:wrong@$pg_host_port/postgres" -c 'SELECT 1' \
        >/dev/null 2>&1 || break
    [[ $attempt -lt 50 ]] || { say "PostgreSQL accepts kring_app with a wrong password"; exit 1; }
    sleep 0.1
done
psql --no-psqlrc -q -v ON_ERROR_STOP=1 "${admin_url%/*}/kring" -c 'REVOKE ALL ON DATABASE kring FROM PUBLIC' \
    -c 'GRANT CONNECT, TEMPORARY ON DATABASE kring TO kring_app'

step migrate
as_owner "$venv/bin/kring" migrate --no-input >"$tmp/migrate.log"
as_owner "$venv/bin/kring" grant-app-role kring_app
app_url="postgres://kring_app:$app_password@$pg_host_port/kring"
check app-role
for sql in "UPDATE audit_auditevent SET action = action" "DELETE FROM audit_auditevent" \
    "TRUNCATE audit_auditevent" "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL" \
    "CREATE TABLE intruder (id int)"; do
    if psql --no-psqlrc -q "$app_url" -c "$sql" >/dev/null 2>&1; then
        say "the application role may: $sql"
        exit 1
    fi
done

step admin
export KRING_ADMIN_PASSWORD
KRING_ADMIN_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
as_app "$venv/bin/kring" createadmin --noinput --username=admin --email=admin@example.org \
    --first-name=Ada

step static
as_app "$venv/bin/kring" collectstatic --no-input >"$tmp/collectstatic.log"

step start
web_ports=("$(free_port)" "$(free_port)")
while [[ ${web_ports[0]} == "${web_ports[1]}" ]]; do web_ports[1]=$(free_port); done
for port in "${web_ports[@]}"; do
    # systemd's RuntimeDirectory=kring-web-%i: the instance's own control socket.
    mkdir -m 700 "$tmp/run-web-$port"
    read -r -a command <<<"$(unit_exec kring-web@.service "$port")"
    start "web-$port" "web-$port.log" env RUNTIME_DIRECTORY="$tmp/run-web-$port" "${command[@]}"
    stop_signal[web-$port]=$(unit_value kring-web@.service KillSignal)
done
read -r -a command <<<"$(unit_exec kring-worker.service)"
start worker worker.log "${command[@]}"
stop_signal[worker]=$(unit_value kring-worker.service KillSignal)
for name in "${!stop_signal[@]}"; do stop_signal[$name]=${stop_signal[$name]#SIG}; done
for port in "${web_ports[@]}"; do
    browser wait-http "http://127.0.0.1:$port/health/" 60
done
check health
for port in "${web_ports[@]}"; do
    # The guide's local probe, word for word: plain http, no Host of ours.
    health=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/health/")
    [[ $health == *'"status": "ok"'* ]] || { say "health of $port: $health"; exit 1; }
done
check control-sockets
for port in "${web_ports[@]}"; do
    [[ -S $tmp/run-web-$port/gunicorn.ctl ]] || { say "no control socket for $port"; exit 1; }
done

check request-and-mail
for port in "${web_ports[@]}"; do
    email="requester-$port@example.org"
    browser request "http://127.0.0.1:$port" "$email"
    browser wait-mail "$tmp/mail" "$email" 60
done

check signin
browser signin "http://127.0.0.1:${web_ports[1]}" admin
check access-log
grep -q '"GET /beheer/' "$tmp/web-${web_ports[1]}.log" || { say "no access log line"; exit 1; }

step backup
# The guide's nightly command, with /etc/kring as $etc.
(
    cd "$tmp/backups"
    set -a; . "$etc/owner.env"; . "$etc/backup.env"; set +a; set -o pipefail; umask 077
    pg_dump --format=custom "$KRING_DATABASE_URL" \
        | openssl enc -aes-256-cbc -pbkdf2 -iter 600000 -salt -pass env:KRING_BACKUP_PASSPHRASE \
            -out "kring-$(date +%F).dump.enc"
)
dump=$(ls "$tmp"/backups/kring-*.dump.enc)
check backup-private
[[ $(stat -c %a "$dump") == 600 ]] || { say "the backup is mode $(stat -c %a "$dump")"; exit 1; }
if head -c 5 "$dump" | grep -q PGDMP; then
    say "the backup is not encrypted"
    exit 1
fi

step restore
psql_admin -c "CREATE DATABASE kring_restore OWNER kring_owner ENCODING 'UTF8'"
psql --no-psqlrc -q -v ON_ERROR_STOP=1 "${admin_url%/*}/kring_restore" \
    -c 'REVOKE ALL ON DATABASE kring_restore FROM PUBLIC' \
    -c 'GRANT CONNECT, TEMPORARY ON DATABASE kring_restore TO kring_app'
restore_url="postgres://kring_owner:$owner_password@$pg_host_port/kring_restore"
as_owner bash -c '
    set -euo pipefail; umask 077
    set -a; . "$1/backup.env"; set +a
    export KRING_DATABASE_URL=$2
    openssl enc -d -aes-256-cbc -pbkdf2 -iter 600000 -pass env:KRING_BACKUP_PASSPHRASE -in "$3" \
        | pg_restore --no-owner --role=kring_owner --exit-on-error --dbname="$KRING_DATABASE_URL"
    "$4/bin/kring" grant-app-role kring_app
    "$4/bin/kring" migrate --check
    "$4/bin/kring" shell -c "from kring.cases.models import Case; print(Case.objects.count())"
' restore "$etc" "$restore_url" "$dump" "$venv" >"$tmp/restore.log" 2>&1

check restore-counts
count_rows() {  # every table of the database at $1, "table count" per line
    local url=$1 tables table
    tables=$(psql --no-psqlrc -tA "$url" -c \
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    for table in $tables; do
        echo "$table $(psql --no-psqlrc -tA "$url" -c "SELECT count(*) FROM \"$table\"")"
    done
}
owner_url="postgres://kring_owner:$owner_password@$pg_host_port/kring"
count_rows "$owner_url" >"$tmp/counts-kring.txt"
count_rows "$restore_url" >"$tmp/counts-restore.txt"
if ! diff -u "$tmp/counts-kring.txt" "$tmp/counts-restore.txt" >&2; then
    say "the restored database differs"
    exit 1
fi
awk '$2 > 0 { n++ } END { exit !(n >= 5) }' "$tmp/counts-kring.txt" \
    || { say "too few tables hold rows: did the requests arrive?"; exit 1; }
check restore-ownership
not_owned=$(psql --no-psqlrc -tA "$restore_url" -c \
    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'kring_owner'")
[[ $not_owned == 0 ]] || { say "$not_owned restored tables are not kring_owner's"; exit 1; }
app_may_update=$(psql --no-psqlrc -tA "$restore_url" -c \
    "SELECT has_table_privilege('kring_app', 'audit_auditevent', 'UPDATE'),
            has_table_privilege('kring_app', 'cases_case', 'UPDATE')")
[[ $app_may_update == "f|t" ]] || { say "the restored grants are wrong: $app_may_update"; exit 1; }

say "passed: $(wc -l <"$tmp/counts-kring.txt") tables restored with the same row counts," \
    "in $((SECONDS - step_started)) s"

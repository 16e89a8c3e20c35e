#!/usr/bin/env bash
# Every check of `make test`, in order; all run even when one fails, and a summary follows.
#
#   scripts/test.sh                  # all steps
#   scripts/test.sh ruff sqlite      # only these steps
#   PYTEST_ARGS="-x -k login" scripts/test.sh sqlite
#
# Steps: ruff (lint and format), migrations (makemigrations --check), translations, imports
# (import-linter: the layers' contract in .importlinter), types (mypy with django-stubs, on the
# files listed under [tool.mypy] in pyproject.toml), sqlite (the whole pytest suite, browser
# tests included), postgres (the same on a throwaway PostgreSQL, see with-postgres.sh), deploy
# (docs/deployment.md followed step by step by scripts/deploy-smoke.sh, about two minutes).
# Exit status: non-zero when any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."

bin=.venv/bin
export DJANGO_SETTINGS_MODULE=kring.settings_test
read -r -a pytest_args <<<"${PYTEST_ARGS:-}"
mkdir -p var

step_ruff() {
    "$bin/ruff" check . && "$bin/ruff" format --check .
}
step_migrations() {
    "$bin/kring" makemigrations --check --dry-run
}
step_translations() {
    "$bin/python" scripts/check_translations.py
}
step_imports() {
    "$bin/lint-imports"
}
step_types() {
    "$bin/mypy"
}
step_sqlite() {
    # Exit status 5 means "no tests collected": a failure here, never a pass.
    env -u KRING_DATABASE_URL "$bin/pytest" -p no:cacheprovider -ra "${pytest_args[@]}"
}
step_postgres() {
    scripts/with-postgres.sh "$bin/pytest" -p no:cacheprovider -ra "${pytest_args[@]}"
}
step_deploy() {
    env -u DJANGO_SETTINGS_MODULE scripts/deploy-smoke.sh
}

steps=("$@")
[[ ${#steps[@]} -eq 0 ]] && steps=(ruff migrations translations imports types sqlite postgres deploy)

declare -a summary=()
failed=0
for step in "${steps[@]}"; do
    if ! declare -F "step_$step" >/dev/null; then
        echo "scripts/test.sh: unknown step '$step'" >&2
        exit 2
    fi
    echo
    echo "==> $step"
    start=$SECONDS
    "step_$step"
    status=$?
    if [[ $status -eq 0 ]]; then
        summary+=("  ok      $step ($((SECONDS - start)) s)")
    else
        summary+=("  FAILED  $step (exit $status, $((SECONDS - start)) s)")
        failed=1
    fi
done

echo
echo "==> summary"
printf '%s\n' "${summary[@]}"
exit "$failed"

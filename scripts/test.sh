#!/usr/bin/env bash
# Sets up a fresh machine for the tests and runs them: the project venv with
# the test extras, one venv per older Gradio server generation (cached), then
# ruff, mypy and the import-layer contract, then pytest. This is the README's test
# command and what CI (.ci/run) runs.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"

if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" \
  2> >(grep -v "^WARNING: Location" >&2)

scripts/gradio_venvs.sh

# The static checks run first, so they always report (a red pytest run used to
# hide them); any failure fails the whole command, after pytest has had its say.
failed=()
check() { "$@" || failed+=("$*"); }
check .venv/bin/ruff format --check gradio_tui tests bench scripts
check .venv/bin/ruff check gradio_tui tests bench scripts
check .venv/bin/mypy
check .venv/bin/lint-imports
# Three workers on 2 cores: most of a test's time is spent waiting on a server or
# a terminal (pytest took 6:02 with two, 4:28 with three; beside 4 CPU burners
# 10:56 and 9:27). Each file runs whole in one worker (its servers start once).
# TEST_WORKERS=0 runs in one process.
check .venv/bin/python -m pytest -n "${TEST_WORKERS:-3}" --dist loadfile "$@"
if (( ${#failed[@]} )); then
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi

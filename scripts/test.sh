#!/usr/bin/env bash
# Sets up a fresh machine for the tests and runs them: the project venv with
# the test extras, one venv per older Gradio server generation (cached), then
# pytest, ruff, mypy and the import-layer contract. This is the README's test
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

.venv/bin/python -m pytest "$@"
.venv/bin/ruff format --check gradio_tui tests bench scripts
.venv/bin/ruff check gradio_tui tests bench scripts
.venv/bin/mypy
.venv/bin/lint-imports

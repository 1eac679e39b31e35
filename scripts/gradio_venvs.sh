#!/usr/bin/env bash
# Builds one virtual environment per Gradio server generation the tests run
# against. The pins are what installs and launches on Python 3.11: newer
# fastapi/Starlette, pydantic or huggingface_hub break the older servers.
# The venvs live in a cache outside the clone so CI on the same machine
# reuses them; a venv is rebuilt when its marker file is missing.
set -euo pipefail
root="${GRADIO_TUI_VENVS:-$HOME/.cache/gradio-tui/venvs}"
python="${PYTHON:-python3}"
mkdir -p "$root"

build() {
  local name="$1"; shift
  local dir="$root/$name"
  local marker="$dir/.gradio-tui-ready"
  local want="$*"
  if [[ -f "$marker" && "$(cat "$marker")" == "$want" ]]; then
    echo "venv $name: cached ($dir)"
    return
  fi
  echo "venv $name: building ($want)"
  rm -rf "$dir"
  "$python" -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check "$@" 2> >(grep -v "^WARNING: Location" >&2)
  "$dir/bin/python" -c "import gradio; print('venv $name: gradio', gradio.__version__)"
  echo "$want" > "$marker"
}

wanted="${*:-g3 g4 g5}"
for w in $wanted; do
  case "$w" in
    g3) build g3 "gradio==3.50.2" "fastapi<0.113" "pydantic<2" "huggingface_hub<0.26" "httpx<0.28" "numpy<2" ;;
    g4) build g4 "gradio==4.44.1" "huggingface_hub<1" "pydantic<2.11" "fastapi<0.116" ;;
    g5) build g5 "gradio==5.50.0" ;;
    *) echo "unknown generation: $w" >&2; exit 2 ;;
  esac
done

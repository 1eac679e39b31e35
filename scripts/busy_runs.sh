#!/usr/bin/env bash
# The flakiness check of issue 15: the test suite, RUNS times back to back, with
# BURNERS processes spinning on the CPU beside it the whole time. Prints one line
# per run (wall time, result) and exits non-zero if any run failed.
#
#   scripts/busy_runs.sh            # 5 runs, 4 burners
#   RUNS=2 BURNERS=4 scripts/busy_runs.sh tests/tui
#
# Arguments go to pytest. Run scripts/test.sh once first (it builds the venvs).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
burners="${BURNERS:-4}"
logs="$(mktemp -d -t busy-runs-XXXXXX)"

pids=()
stop_burners() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_burners EXIT
for _ in $(seq "$burners"); do
  .venv/bin/python -c "while True: pass" &
  pids+=($!)
done

failed=0
for run in $(seq "$runs"); do
  start=$(date +%s)
  if .venv/bin/python -m pytest -n "${TEST_WORKERS:-3}" --dist loadfile -q -p no:cacheprovider "$@" \
      > "$logs/run-$run.log" 2>&1; then
    result="passed"
  else
    result="FAILED"
    failed=1
  fi
  summary="$(grep -E '(passed|failed)' "$logs/run-$run.log" | tail -1)"
  echo "run $run/$runs: $result in $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg): $summary"
done
echo "logs: $logs"
exit "$failed"

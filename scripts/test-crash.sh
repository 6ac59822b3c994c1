#!/usr/bin/env bash
# The long randomized crash run (test/crash-points.e2e-spec.ts): CRASH_ROUNDS rounds (default 30)
# from CRASH_SEED (default: a random one, printed, so a failing round can be run again alone with
# CRASH_ROUNDS=1 CRASH_SEED=<its seed>). Each round starts `ledger serve` twice: minutes, not seconds.
# Then the import-job rounds (test/crash-import-jobs.e2e-spec.ts): CRASH_IMPORT_ROUNDS (default 10)
# from the same seed, each starting the api and the worker and restarting them (a few minutes each).
set -euo pipefail
cd "$(dirname "$0")/.."
export CRASH_ROUNDS="${CRASH_ROUNDS:-30}"
export CRASH_SEED="${CRASH_SEED:-$((RANDOM * 32768 + RANDOM))}"
export CRASH_IMPORT_ROUNDS="${CRASH_IMPORT_ROUNDS:-10}"
echo "crash rounds: ${CRASH_ROUNDS}, import-job rounds: ${CRASH_IMPORT_ROUNDS}, from seed ${CRASH_SEED}"
exec npx jest test/crash-points.e2e-spec.ts test/crash-import-jobs.e2e-spec.ts --runInBand --forceExit "$@"

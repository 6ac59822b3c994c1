#!/usr/bin/env bash
# The long randomized concurrency run (test/concurrency-model.e2e-spec.ts): CONCURRENCY_ROUNDS
# rounds (default 20) of CONCURRENCY_OPS scenarios (default 400) from CONCURRENCY_SEED (default: a
# random one, printed, so a failing round can be run again alone with CONCURRENCY_ROUNDS=1
# CONCURRENCY_SEED=<its seed>). The rounds share one api and its log, so later rounds meet a fuller one.
# The round on the EventStoreDB stand-in takes CONCURRENCY_ESDB_OPS scenarios (default 160 here, 30
# in npm test).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONCURRENCY_ROUNDS="${CONCURRENCY_ROUNDS:-20}"
export CONCURRENCY_OPS="${CONCURRENCY_OPS:-400}"
export CONCURRENCY_ESDB_OPS="${CONCURRENCY_ESDB_OPS:-160}"
export CONCURRENCY_SEED="${CONCURRENCY_SEED:-$((RANDOM * 32768 + RANDOM))}"
echo "concurrency rounds: ${CONCURRENCY_ROUNDS} × ${CONCURRENCY_OPS} scenarios from seed ${CONCURRENCY_SEED}"
exec npx jest test/concurrency-model.e2e-spec.ts --runInBand --forceExit "$@"

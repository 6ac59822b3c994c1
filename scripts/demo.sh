#!/usr/bin/env bash
# Quick start: install, build, register the reference project on the embedded SQLite store, serve.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
# CPU seconds of the finished steps so far (`times`' children line; run in this shell, not a subshell).
TIMES=$(mktemp); trap 'rm -f "$TIMES"' EXIT
step_done() {
  times > "$TIMES"
  local cpu
  cpu=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] } printf "%.1f", t }' "$TIMES")
  echo "[demo] $1 at ${SECONDS} s (CPU ${cpu} s so far${2:-})"
}
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat" 2> /dev/null || echo "?"; }
# Built again only when a source changed since the last build (a repeated demo starts at once). The
# same JavaScript as `npm run build`, without its type check (the tests' and CI's job): tsc --noCheck
# emits byte-identical files for a third less CPU (21 s against 32 s). It runs in the background,
# beside the simulation (one core each), and is waited for before serving.
STAMP=dist/.build-stamp
BUILD=
if [ ! -f "$STAMP" ] || [ -n "$(find apps libs projects scripts package.json package-lock.json tsconfig*.json \
    -newer "$STAMP" -type f -print -quit 2>/dev/null)" ]; then
  ( rm -rf dist
    node_modules/.bin/tsc -p tsconfig.build.json --noCheck
    node_modules/.bin/tsc-alias -p tsconfig.build.json
    node scripts/build-web.mjs > /dev/null ) &
  BUILD=$!
  trap 'kill $BUILD 2> /dev/null; rm -f "$TIMES"' EXIT
else
  echo "dist/ is up to date with the sources: not rebuilt"
fi

export DATA_DIR=${DATA_DIR:-./data}
# DEMO_SCALE: the simulated project's size (1 = the real one; 0 = an empty ledger and the walkthrough).
DEMO_SCALE=${DEMO_SCALE:-1}
DEMO_SEED=${DEMO_SEED:-1}
# Where the simulated snapshots are kept (DEMO_CACHE: elsewhere, e.g. a scratch disk).
DEMO_CACHE=${DEMO_CACHE:-data/simulations}
ledger() { node dist/apps/cli/src/main.js "$@"; }
# While dist/ is being built, the simulation runs from the sources (tsx: the providers name what they
# inject, so they need no emitted decorator metadata; the bench runs the same way).
ledger_from_sources() { if [ -n "$BUILD" ]; then node_modules/.bin/tsx apps/cli/src/main.ts "$@"; else ledger "$@"; fi; }
# `npm run demo -- --reset`: start over on a fresh ledger (the simulations cache under data/ stays).
if [ "${1:-}" = --reset ]; then find "$DATA_DIR" -mindepth 1 -maxdepth 1 ! -name simulations -exec rm -rf {} +; fi
mkdir -p "$DATA_DIR"
# Secrets for the embedded default, made once and kept out of git and out of the event store.
new_secrets() {
  ( umask 077
    {
      echo "LEDGER_JWT_SECRET=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
      echo "LEDGER_PSEUDONYM_KEY=1:$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
      echo "LEDGER_PROFILE_MASTER_KEY=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
    } > "$1" )
}
FRESH=0; [ -f "$DATA_DIR/events.sqlite" ] || FRESH=1
SIMULATED=
if [ "$FRESH" = 1 ] && [ "$DEMO_SCALE" != 0 ]; then
  # A simulated ledger up to yesterday (Vilnius): the first run simulates it into a snapshot under
  # data/simulations/ (keyed by simulator version, scale, seed, last day and the read models'
  # versions), its read models rebuilt in bulk once; every later fresh DATA_DIR copies the snapshot
  # (log, person keys, read models, secrets) and serves it without replaying anything.
  ledger_from_sources demo-ledger --scale "$DEMO_SCALE" --seed "$DEMO_SEED" --cache "$DEMO_CACHE"
  SIMULATED="$DATA_DIR"
  step_done "simulated ledger in place"
fi
[ -f "$DATA_DIR/ledger.env" ] || new_secrets "$DATA_DIR/ledger.env"
set -a; . "$DATA_DIR/ledger.env"; set +a
export PORT=${PORT:-3000} HOST=${HOST:-127.0.0.1}
# The web app's demo users (one per role, no password): on for the demo only; a real installation
# leaves LEDGER_DEMO_USERS off and configures its OpenID provider (LEDGER_OIDC_*).
export LEDGER_DEMO_USERS=${LEDGER_DEMO_USERS:-on}
# The job queue: a private redis-server under $DATA_DIR/redis (serve starts it, the worker reuses it),
# unless REDIS_URL names one.
if [ -z "${REDIS_URL:-}" ]; then
  if ! command -v redis-server > /dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
    else
      echo "redis-server is missing: sudo apt-get install -y redis-server (or set REDIS_URL)" >&2; exit 1
    fi
  fi
  export LEDGER_REDIS=private
fi

if [ -n "$BUILD" ]; then
  wait "$BUILD"
  touch "$STAMP"
  step_done "dist/ built"
fi
# serve registers the project and migrates (what `ledger init` does) before it listens; the tokens are
# minted meanwhile, all in one process.
node dist/apps/cli/src/main.js serve &
SERVER=$!
WORKER=
trap 'kill $WORKER $SERVER 2>/dev/null; rm -f "$TIMES"' INT TERM EXIT
export BASE="http://$HOST:$PORT"
TOKENS=$(ledger demo-tokens)
while IFS='=' read -r name value; do export "$name=$value"; done <<< "$TOKENS"
for _ in $(seq 1 300); do curl -sf "$BASE/health" > /dev/null && break; sleep 0.2; done
# The worker runs the jobs (rebuilds, ...) beside the api, on the same queue.
node dist/apps/worker/src/main.js &
WORKER=$!
# A fresh empty ledger (DEMO_SCALE=0) gets the walkthrough's records: a partner submits, the agency
# and finance verify. A simulated one has its own (and its quarters up to the last are locked).
if [ "$FRESH" = 1 ] && [ -z "$SIMULATED" ]; then bash scripts/walkthrough.sh; fi
if [ -n "$SIMULATED" ]; then
  # Ready once the read models have caught up with the simulated log (a few seconds).
  for _ in $(seq 1 240); do curl -sf "$BASE/health/ready" > /dev/null && break; sleep 0.5; done
  node -e 'const f=require(process.argv[1]).figures;
    console.log(`simulated ledger: ${f.personsReached} persons reached, EUR ${(f.declaredCents/100).toFixed(2)} declared, ${f.records} records, ${f.partners} partners`)' \
    "$(realpath "$SIMULATED")/simulation.json"
fi
step_done ready ", and $(cpu_of "$SERVER") s in the api"

cat <<INFO

  Ledger:       $BASE/api/v1/projects/07-003-P-0001  (progress: .../progress, budget: .../budget)
  Ledger data:  $DATA_DIR/events.sqlite, person keys in $DATA_DIR/person-keys.sqlite
                (secrets in $DATA_DIR/ledger.env)
  Web app:      $BASE/  (sign in as a demo user of any role)
  OpenAPI:      $BASE/api/docs
  Job queue:    ${REDIS_URL:-private redis-server in $DATA_DIR/redis}; worker pid $WORKER
  Tokens (8 h), e.g.  curl -s -H "Authorization: Bearer \$AUDITOR" $BASE/api/v1/projects/07-003-P-0001
    ADMIN=$ADMIN
    AUDITOR=$AUDITOR
    FINANCE=$FINANCE
    PARTNER=$PARTNER   (Visaginas)
${PARTNER_BEHIND:+    PARTNER_BEHIND=$PARTNER_BEHIND   ($BEHIND, behind its share)
}  Ctrl-C stops the server, the worker and the private redis-server.

INFO
wait $SERVER

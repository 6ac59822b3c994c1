#!/usr/bin/env bash
# Quick start: install, build, register the reference project on the embedded SQLite store, serve.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
npm run build --silent

export DATA_DIR=${DATA_DIR:-./data}
mkdir -p "$DATA_DIR"
# Secrets for the embedded default, made once and kept out of git and out of the event store.
if [ ! -f "$DATA_DIR/ledger.env" ]; then
  umask 077
  {
    echo "LEDGER_JWT_SECRET=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
    echo "LEDGER_PSEUDONYM_KEY=1:$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
    echo "LEDGER_PROFILE_MASTER_KEY=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
  } > "$DATA_DIR/ledger.env"
fi
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

ledger() { node dist/apps/cli/src/main.js "$@"; }
FRESH=0; [ -f "$DATA_DIR/events.sqlite" ] || FRESH=1
ledger init
export BASE="http://$HOST:$PORT"
export ADMIN=$(ledger token --role admin --subject demo-admin)
export AUDITOR=$(ledger token --role agency-auditor --subject demo-auditor)
export FINANCE=$(ledger token --role finance-officer --subject demo-finance)
export PARTNER=$(ledger token --role partner-submitter --subject demo-visaginas --partner visaginas-spc)

node dist/apps/cli/src/main.js serve &
SERVER=$!
WORKER=
trap 'kill $WORKER $SERVER 2>/dev/null' INT TERM EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/health" > /dev/null && break; sleep 0.2; done
# The worker runs the jobs (rebuilds, ...) beside the api, on the same queue.
node dist/apps/worker/src/main.js &
WORKER=$!
# A fresh ledger gets the walkthrough's records: a partner submits, the agency and finance verify.
if [ "$FRESH" = 1 ]; then bash scripts/walkthrough.sh; fi

cat <<INFO

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
  Ctrl-C stops the server, the worker and the private redis-server.

INFO
wait $SERVER

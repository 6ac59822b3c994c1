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

ledger() { node dist/apps/cli/src/main.js "$@"; }
ledger init
AUDITOR=$(ledger token --role agency-auditor --subject demo-auditor)
ADMIN=$(ledger token --role admin --subject demo-admin)
cat <<INFO

  Ledger data:  $DATA_DIR/events.sqlite (secrets in $DATA_DIR/ledger.env)
  Try, in another terminal:
    curl -s http://$HOST:$PORT/health
    curl -s -H "Authorization: Bearer $AUDITOR" http://$HOST:$PORT/api/v1/projects/07-003-P-0001
  Admin token (8 h):  $ADMIN
  OpenAPI:      http://$HOST:$PORT/api/docs

INFO
exec node dist/apps/cli/src/main.js serve

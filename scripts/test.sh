#!/usr/bin/env bash
# The whole test suite: static checks, then every Jest test (unit, integration, end-to-end).
# Ends with one line "N passed, N failed" counted from Jest's JSON report.
set -uo pipefail
cd "$(dirname "$0")/.."

# What the tests need from the machine, installed here so a fresh machine runs them too:
# redis-server (the worker tests start a real Redis); poppler-utils and unzip (the report tests read
# the PDF and XLSX packs back); chromium (the web app's browser tests); g++, make and python3 only
# when node_modules must be installed (better-sqlite3 may be built from source). Installed with
# apt-get as root (.ci/run installs them first, so nothing is installed twice); otherwise the script
# says what to install and stops, instead of failing later in the middle of the suite.
needs_npm_install=0
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then needs_npm_install=1; fi
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ "$needs_npm_install" -eq 1 ]; then
  for tool in g++ make python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing what the tests need: ${missing[*]}"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; }; then
      echo "scripts/test.sh: could not install ${missing[*]} with apt-get" >&2
      exit 1
    fi
  else
    echo "scripts/test.sh: the tests need ${missing[*]}, which this machine lacks." >&2
    echo "Install them first (Debian/Ubuntu: sudo apt-get install ${missing[*]}), or run this script as root to have it install them." >&2
    exit 1
  fi
fi

if [ "$needs_npm_install" -eq 1 ]; then
  npm install --no-audit --no-fund || exit 1
fi

mkdir -p .tmp
static_failed=0
check() {
  local name=$1; shift
  if "$@" > ".tmp/$name.log" 2>&1; then
    echo "check $name: ok"
  else
    echo "check $name: FAILED"; cat ".tmp/$name.log"; static_failed=$((static_failed + 1))
  fi
}
check typecheck npx tsc -p tsconfig.json --noEmit
check typecheck-web npx tsc -p apps/web/tsconfig.json
check eslint npx eslint .
check dependency-rules npx depcruise apps libs test bench --config .dependency-cruiser.cjs
check prettier npx prettier --check .
check build npm run build --silent

npx jest --maxWorkers=2 --json --outputFile=.tmp/jest.json "$@"
jest_status=$?

node -e '
  const fs = require("fs");
  let r = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTotalTestSuites: 0, numFailedTestSuites: 0 };
  try { r = JSON.parse(fs.readFileSync(".tmp/jest.json", "utf8")); } catch { r.numFailedTests = 1; }
  const staticFailed = Number(process.argv[1]);
  // A suite that fails to load has no failed tests of its own: count it, so it cannot pass silently.
  const brokenSuites = r.testResults ? r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0).length : 0;
  if (staticFailed) console.log(`static checks failed: ${staticFailed}`);
  if (brokenSuites) console.log(`test suites that failed to run: ${brokenSuites}`);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + brokenSuites + staticFailed} failed, ${r.numPendingTests} skipped`);
' "$static_failed"

if [ "$jest_status" -ne 0 ] || [ "$static_failed" -ne 0 ]; then exit 1; fi

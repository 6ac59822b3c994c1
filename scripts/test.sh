#!/usr/bin/env bash
# The whole test suite: static checks, then every Jest test (unit, integration, end-to-end).
# Ends with one line "N passed, N failed" counted from Jest's JSON report.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
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

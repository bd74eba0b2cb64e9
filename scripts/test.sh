#!/usr/bin/env bash
# The test command (`npm test`): installs what is missing, builds, type-checks and runs every test suite.
# Each suite uses node's test runner, so each prints its own "# pass / # fail" summary.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
stage() { printf '\n==== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

stage install
bash scripts/install.sh --test
stage build
npm run -s build
stage typecheck
npm run -s typecheck

run_suite() {
  local dir=$1
  mapfile -t files < <(find "$dir" -name '*.test.ts' 2>/dev/null | sort)
  if [ ${#files[@]} -eq 0 ]; then echo "(no tests in $dir)"; return 0; fi
  # the webgpu leak test: 200 steps in CI (1,000 by default; a minute on the software adapter)
  CNN_STUDIO_WEBGPU_LEAK_STEPS=${CNN_STUDIO_WEBGPU_LEAK_STEPS:-200} node --import tsx --test --test-concurrency=1 "${files[@]}"
}

stage "unit tests (test/unit)"
run_suite test/unit
stage "webview tests in chromium (test/webview)"
run_suite test/webview
if [ -f scripts/test-vscode.sh ]; then
  stage "extension-host tests in code-server (test/vscode)"
  bash scripts/test-vscode.sh
fi
stage "all tests passed"

#!/usr/bin/env bash
# Tests in a real VS Code: code-server 4.100.3 (= VS Code 1.100.3 in the browser), installed by
# scripts/install-code-server.sh under .cache/. Steps:
#   1. package the extension as a VSIX (`npm run package`) and check what is inside;
#   2. install the VSIX into a fresh code-server profile and start code-server on 127.0.0.1;
#   3. UI tests: drive the workbench in chromium (palette -> new model -> designer -> keyboard edit -> undo -> save;
#      a new user's path from the walkthrough to a prediction; training and the dashboard);
#   4. mocha suites inside the extension host (test/vscode/suites, bundled to out/test/index.js);
#   5. scripts/try.sh with that VSIX: the printed URL shows the model in the designer, Ctrl+C stops everything.
# Screenshots and logs go to test-results/vscode/. The code-server process group is stopped on exit.
#   bash scripts/test-vscode.sh            (called by scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

bash scripts/install-code-server.sh
cs_dir="$repo/.cache/code-server"
cs_bin="$cs_dir/node_modules/.bin/code-server"
results="$repo/test-results/vscode"
mkdir -p "$repo/.cache/vscode-test" "$results"
# Reports of earlier runs that have finished (their run folder is gone) are stale.
for report in "$results"/exthost-run-*.json; do
  [ -e "$report" ] || continue
  run=$(basename "$report" .json); run=${run#exthost-}; run=${run%-untrusted}
  [ -d "$repo/.cache/vscode-test/$run" ] || rm -f "$report"
done
# Everything of this run (VSIX, code-server profile, workspaces) in its own folder, removed on exit, so
# two runs on one machine (two developers' terminals) never share a code-server profile.
work=$(mktemp -d "$repo/.cache/vscode-test/run-XXXXXX")
state="$work/state"
# The extension-host workspace is named after the run: the tests' report is exthost-<that name>.json.
ws_exthost="$work/$(basename "$work")"
mkdir -p "$state/ud/User" "$state/ext" "$state/home" "$work/ws-ui" "$ws_exthost"
cs_pgid=
stop_code_server() {
  [ -n "$cs_pgid" ] || return 0
  kill -TERM -- "-$cs_pgid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 -- "-$cs_pgid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$cs_pgid" 2>/dev/null || true
  cs_pgid=
}
cleanup() {
  stop_code_server
  rm -rf "$work"
}
trap cleanup EXIT

step "npm run package: build, then the VSIX as published (test/vscode/check_vsix.py checks its contents)"
vsix="$work/cnn-studio.vsix"
# `npm run package` builds first (vscode:prepublish), so the bundles always match the sources.
npm run -s package -- --out "$vsix" > "$results/vsce.log" 2>&1 || { cat "$results/vsce.log"; exit 1; }
passed=0; failed=0
if python3 test/vscode/check_vsix.py "$vsix"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

step "install the VSIX into code-server"
cat > "$state/ud/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "workbench.tips.enabled": false,
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false, "update.mode": "none",
  "workbench.enableExperiments": false, "chat.disableAIFeatures": true, "git.enabled": false }
JSON
cs_args=(--config "$state/config.yaml" --user-data-dir "$state/ud" --extensions-dir "$state/ext")
HOME="$state/home" "$cs_bin" "${cs_args[@]}" --install-extension "$vsix" --force > "$results/install-extension.log" 2>&1 ||
  { cat "$results/install-extension.log"; exit 1; }
ext_dir=$(find "$state/ext" -maxdepth 1 -type d -name 'cnn-studio.cnn-studio-*' | head -1)
[ -n "$ext_dir" ] || { echo "the VSIX did not install"; cat "$results/install-extension.log"; exit 1; }

step "start code-server"
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
base="http://127.0.0.1:$port"
# usage: start_code_server [extra flags]; sets cs_pgid (its own process group, stopped by cleanup/stop_code_server)
start_code_server() {
  HOME="$state/home" setsid "$cs_bin" "${cs_args[@]}" --auth none --bind-addr "127.0.0.1:$port" \
    --disable-telemetry --disable-update-check --disable-getting-started-override "$@" \
    >> "$results/code-server.log" 2>&1 < /dev/null &
  cs_pgid=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$base/healthz" && return 0; sleep 0.25; done
  echo "code-server did not start"; cat "$results/code-server.log"; exit 1
}
: > "$results/code-server.log"
start_code_server --disable-workspace-trust

step "UI test: palette, designer, keyboard edit, undo, save (screenshots in test-results/vscode/)"
if node --import tsx test/vscode/driver/designerUi.ts "$base" "$work/ws-ui" "$results"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
step "UI test: walkthrough → template → dataset → train → evaluate on a test set → predict from the explorer → import with the save dialog (screenshots in test-results/vscode/)"
mkdir -p "$work/ws-walkthrough"
if node --import tsx test/vscode/driver/walkthroughUi.ts "$base" "$work/ws-walkthrough" "$results"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
step "UI test: sample dataset, Train Model, the dashboard follows the run (screenshots in test-results/vscode/)"
mkdir -p "$work/ws-dashboard"
if node --import tsx test/vscode/driver/dashboardUi.ts "$base" "$work/ws-dashboard" "$results"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
step "UI test: freeze layers in the designer, Fine-tune from Run…, the report is shown (screenshots in test-results/vscode/)"
if node --import tsx test/vscode/driver/fineTuneUi.ts "$base" "$work/ws-fine-tune" "$results"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

step "extension-host tests (mocha inside code-server's extension host)"
node --import tsx test/vscode/driver/runExtensionHostTests.ts "$base" "$ext_dir" "$repo/out/test/index.js" "$ws_exthost" "$results" || true
count_report() {  # adds a run's report to the totals; no report = the run itself failed
  read -r p f < <(node -e "try { const r = require('$1'); console.log(r.passed, r.failed); } catch { console.log(0, 1); }")
  passed=$((passed + p)); failed=$((failed + f))
}
count_report "$results/exthost-$(basename "$work").json"

step "extension-host tests in an untrusted folder (restricted mode)"
# Same profile and bundle, workspace trust on: the new folder is not trusted, so the bundle runs its
# restricted-mode suite (designing works, training refuses).
stop_code_server
cat > "$state/ud/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "workbench.tips.enabled": false,
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false, "update.mode": "none",
  "workbench.enableExperiments": false, "chat.disableAIFeatures": true, "git.enabled": false,
  "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.banner": "never" }
JSON
start_code_server
ws_untrusted="$work/$(basename "$work")-untrusted"
mkdir -p "$ws_untrusted"
node --import tsx test/vscode/driver/runExtensionHostTests.ts "$base" "$ext_dir" "$repo/out/test/index.js" "$ws_untrusted" "$results" || true
count_report "$results/exthost-$(basename "$ws_untrusted").json"

step "the one-command try: scripts/try.sh in code-server mode shows the model in the designer; Ctrl+C and SIGTERM stop everything"
stop_code_server
if node --import tsx test/vscode/driver/tryUi.ts "$vsix" "$work" "$results"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

step "done"
echo "# vscode: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# From a fresh clone to the designer in one command:
#   bash scripts/try.sh [workspace-folder]          (default: ./try)
# 1. installs the npm packages, builds and packages the extension (`npm run package` → cnn-studio-<version>.vsix);
# 2. prepares the workspace once (later runs keep it as it is): a generated dataset of 450 28×28 images
#    (circles, squares, triangles) in data/shapes, and shapes.cnn.json (template mnist-small) set to train on it;
# 3. where VS Code's `code` command is on PATH: installs the VSIX into that VS Code and opens the workspace
#    with the model; otherwise installs code-server (scripts/install-code-server.sh: npm and apt only),
#    installs the VSIX into a profile of its own (.cache/try/), starts it on 127.0.0.1 with the model open
#    in the designer and prints the URL. Ctrl+C (or SIGTERM) stops code-server and everything it started.
# Environment (all optional):
#   TRY_PORT=N         code-server's port (default: 8123 when it is free, else any free port)
#   TRY_NO_BROWSER=1   only print the URL (default: also open it with xdg-open when there is a display)
#   TRY_CODE_SERVER=1  use code-server even when `code` is on PATH
#   TRY_VSIX=FILE      use this VSIX and skip install/build/package (the tests pass the one they just built)
#   TRY_PROFILE=DIR    code-server's profile: settings, extensions, logs (default: .cache/try)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$(date +%s)
step() { printf '== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }
workspace=$(realpath -m "${1:-try}")
profile=$(realpath -m "${TRY_PROFILE:-$repo/.cache/try}")
mkdir -p "$profile"

if [ -n "${TRY_VSIX:-}" ]; then
  vsix=$(realpath "$TRY_VSIX")
else
  bash scripts/install.sh
  vsix="$repo/cnn-studio-$(node -p "require('./package.json').version").vsix"
  step "npm run package: build, then $(basename "$vsix") (log: $profile/package.log)"
  npm run -s package -- --out "$vsix" > "$profile/package.log" 2>&1 || { cat "$profile/package.log"; exit 1; }
  tail -1 "$profile/package.log"
fi

model="$workspace/shapes.cnn.json"
if [ -f "$model" ]; then
  step "workspace $workspace (kept from an earlier run)"
else
  step "workspace $workspace: a generated dataset and a model that trains on it"
  node dist/cli.js make-dataset shapes "$workspace/data/shapes" --per-class 150 --size 28 --seed 1 --force
  node dist/cli.js new mnist-small "$model" --data "$workspace/data/shapes" | grep -v '^Next:'
fi

if [ -z "${TRY_CODE_SERVER:-}" ] && command -v code > /dev/null 2>&1; then
  step "install $(basename "$vsix") into VS Code"
  code --install-extension "$vsix" --force
  step "open $workspace in VS Code"
  # CNN Studio opens the model named by CNN_STUDIO_OPEN_MODEL in the designer when the window starts
  # (VS Code would open a file given on the command line as text on a first start).
  CNN_STUDIO_OPEN_MODEL="$model" code "$workspace"
  exit 0
fi

step "code-server (VS Code in the browser; the first run installs it into .cache/code-server, which takes minutes)"
CS_WITHOUT_CHROMIUM=1 bash scripts/install-code-server.sh
cs_bin="$repo/.cache/code-server/node_modules/.bin/code-server"
mkdir -p "$profile/user-data/User" "$profile/extensions"
# First run only, so a user's own changes to these settings stay. ./try lies inside the clone: without
# git.openRepositoryInParentFolders VS Code offers to open the clone's repository over the designer.
settings="$profile/user-data/User/settings.json"
[ -f "$settings" ] || cat > "$settings" <<'JSON'
{ "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false, "update.mode": "none", "workbench.enableExperiments": false,
  "chat.disableAIFeatures": true, "git.openRepositoryInParentFolders": "never" }
JSON
cs_args=(--config "$profile/config.yaml" --user-data-dir "$profile/user-data" --extensions-dir "$profile/extensions")
step "install $(basename "$vsix") into code-server (profile: $profile)"
"$cs_bin" "${cs_args[@]}" --install-extension "$vsix" --force > "$profile/install-extension.log" 2>&1 ||
  { cat "$profile/install-extension.log"; exit 1; }

# The preferred port when it is free (a bookmark keeps working), else one the system picks.
port=${TRY_PORT:-$(node -e "
  const net = require('net');
  const listen = (p, fallback) => { const s = net.createServer();
    s.once('error', fallback).listen(p, '127.0.0.1', () => { console.log(s.address().port); s.close(); }); };
  listen(8123, () => listen(0, () => process.exit(1)));")}

# code-server runs in a session of its own, so a terminal's Ctrl+C reaches only this script, which then
# stops code-server's whole process group: extension host, CNN Studio's engine processes, watchers.
cs_pgid=
stop_code_server() {
  [ -n "$cs_pgid" ] || return 0
  kill -TERM -- "-$cs_pgid" 2> /dev/null || true
  for _ in $(seq 1 40); do kill -0 -- "-$cs_pgid" 2> /dev/null || break; sleep 0.25; done
  kill -KILL -- "-$cs_pgid" 2> /dev/null || true
  cs_pgid=
  echo "code-server stopped."
}
trap stop_code_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log="$profile/code-server.log"
step "start code-server on 127.0.0.1:$port (log: $log)"
# Workspace trust is off in this profile only: it opens the workspace this script made, so Train works.
# The folder argument is what the workbench opens; CNN_STUDIO_OPEN_MODEL is the model CNN Studio shows.
CNN_STUDIO_OPEN_MODEL="$model" setsid "$cs_bin" "${cs_args[@]}" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$workspace" > "$log" 2>&1 < /dev/null &
cs_pgid=$!
for i in $(seq 1 480); do
  kill -0 "$cs_pgid" 2> /dev/null || { cat "$log"; echo "code-server exited while starting (log above)."; exit 1; }
  (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break
  [ "$i" -lt 480 ] || { cat "$log"; echo "code-server did not listen on 127.0.0.1:$port within 2 minutes."; exit 1; }
  sleep 0.25
done

url="http://127.0.0.1:$port/"
cat <<EOF

CNN Studio is running in code-server (VS Code in the browser) with $(basename "$model") open in the designer.
Open this address in a browser on this machine:

  $url

Press Ctrl+C to stop it.
EOF
if [ -z "${TRY_NO_BROWSER:-}" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } && command -v xdg-open > /dev/null 2>&1; then
  # The user's browser is not ours to stop: its own session, outside code-server's group.
  setsid xdg-open "$url" > /dev/null 2>&1 < /dev/null &
fi
status=0
wait "$cs_pgid" || status=$?
echo "code-server exited by itself (status $status); log: $log"
exit "$status"

#!/usr/bin/env bash
# Installs a real VS Code for the extension-host and UI tests: code-server (VS Code 1.100.x built for the
# browser, runs on the machine's Node 20) under .cache/code-server/ in the repo. Idempotent: a marker file
# records a finished install of this version, so a second run does nothing.
#
# Why by hand: code-server's own postinstall downloads ripgrep from GitHub, which CI cannot reach. We
# install with --ignore-scripts and do what its postinstall does, using Debian's ripgrep and the
# installed Node's headers for the native modules (node-pty, kerberos, spdlog, ...).
#   bash scripts/install-code-server.sh         # called by `scripts/install.sh --test`
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
CS_VERSION=${CS_VERSION:-4.100.3}
dest="$repo/.cache/code-server"
marker="$dest/.installed-$CS_VERSION"
if [ -f "$marker" ] && [ -x "$dest/node_modules/.bin/code-server" ]; then
  echo "code-server $CS_VERSION already installed in .cache/code-server"
  exit 0
fi
started=$(date +%s)

# 1. OS packages, only the missing ones: chromium drives the workbench, libkrb5-dev + build tools build
#    the native modules, ripgrep replaces the GitHub download.
#    CS_WITHOUT_CHROMIUM=1 (scripts/try.sh): the user's own browser opens code-server, no chromium needed.
packages=(libkrb5-dev ripgrep pkg-config make g++ python3)
[ -n "${CS_WITHOUT_CHROMIUM:-}" ] || packages=(chromium "${packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# node-pty's install runs `npx node-gyp`: never prompt. node-gyp must use the installed Node's headers
# instead of downloading them from nodejs.org.
export npm_config_yes=true
export npm_config_nodedir=${npm_config_nodedir:-$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")}
export JOBS=${JOBS:-max}   # node-gyp: build each native module with all cores
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# Keep code-server's dotfiles (~/.config/code-server, ~/.cache) out of the user's HOME during the install.
export HOME="$dest/home"
mkdir -p "$dest/home"

# 2. code-server itself, without lifecycle scripts.
cd "$dest"
[ -f package.json ] || printf '{ "name": "cnn-studio-code-server", "private": true }\n' > package.json
echo "== npm i code-server@$CS_VERSION --ignore-scripts"
npm i "code-server@$CS_VERSION" --ignore-scripts --loglevel=error
npm rebuild argon2 --loglevel=error >/dev/null

# 3. code-server's postinstall, minus the network: VS Code's own dependencies and native modules.
cd "$dest/node_modules/code-server/lib/vscode"
echo "== VS Code dependencies"
npm install --omit=dev --ignore-scripts --loglevel=error
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg   # its postinstall sees bin/ and skips the download
echo "== native modules (log: .cache/code-server/native-build.log)"
npm rebuild > "$dest/native-build.log" 2>&1 || { tail -50 "$dest/native-build.log"; exit 1; }
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
echo "== built-in extensions' dependencies"
(cd extensions && npm install --omit=dev --loglevel=error >/dev/null)

version=$("$dest/node_modules/.bin/code-server" --config "$dest/home/config.yaml" --version | tail -1)
touch "$marker"
echo "code-server installed: $version ($(( $(date +%s) - started ))s)"

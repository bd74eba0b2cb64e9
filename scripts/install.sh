#!/usr/bin/env bash
# Installs everything CNN Studio's build and tests need on a fresh Debian machine of our kind.
# Idempotent: each step is skipped when its result is already there.
#   bash scripts/install.sh            # npm packages only (enough for the build, the CLI and unit tests)
#   bash scripts/install.sh --test     # + what the browser, PyTorch and VS Code tests need
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

step() { printf '== %s\n' "$*"; }

apt_install() {
  # Only the packages that are missing, so a prepared machine does no apt work at all.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "apt-get install ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The webgpu tests need a WebGPU adapter. Without a GPU, Dawn accepts Mesa's software Vulkan driver
# (lavapipe) only from Mesa 25 on (Debian 12's own Mesa 22.3 lacks shaderUniform*ArrayDynamicIndexing),
# so it comes from Debian's bookworm-backports suite. A machine with a real GPU loses nothing by it:
# the packages are only added, and Dawn prefers a hardware adapter when there is one.
# The mirror of the machine's own Debian bookworm source (deb822 .sources stanzas, or sources.list lines).
debian_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk 'BEGIN { RS = ""; FS = "\n" } {
      u = ""; s = ""
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); u = a[2] }
        if ($i ~ /^Suites:/) s = $i " "
      }
      if (u != "" && s ~ /[ \t]bookworm[ \t]/) { print u; exit }
    }')
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }')
  fi
  printf '%s' "$uri"
}

install_software_vulkan() {
  local mesa_major
  # dpkg-query fails when the package is not installed at all (a fresh machine): that is "no Mesa", not an error.
  mesa_major=$({ dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true; } | sed -E 's/^([0-9]+:)?([0-9]+).*/\2/')
  if [ -n "$mesa_major" ] && [ "$mesa_major" -ge 25 ] && dpkg -s libvulkan1 >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # The backports suite comes from the same mirror as the machine's own bookworm source.
    local mirror
    mirror=$(debian_mirror)
    if [ -z "$mirror" ]; then
      echo "install.sh: no apt source for Debian bookworm was found, so the bookworm-backports suite (Mesa 25 for the webgpu tests) cannot be added. Add bookworm-backports to your apt sources and run this again." >&2
      exit 1
    fi
    step "apt source bookworm-backports from $mirror (Mesa 25 for the software Vulkan adapter)"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" |
      $SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
  fi
  step "apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
}

# npm packages: `npm ci` when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  # onnxruntime-node (the ONNX export tests) ships its CPU build in the npm package; on Linux x64 its
  # install script would also fetch CUDA libraries from outside npm, which the tests never use.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
fi

# The native kernel addon (native/, built by `npm run build` with node-gyp): a C++ compiler, make and
# python3 for node-gyp, and OpenBLAS (headers + the pthread build, whose idle threads sleep). Without
# them the build skips the addon and training runs on plain wasm; CI builds and tests it.
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && command -v apt-get >/dev/null 2>&1; then
  apt_install g++ make python3 libopenblas-dev libopenblas0-pthread
fi

if [ $want_test -eq 1 ]; then
  # chromium drives the webview tests and code-server; python3-torch checks the exported PyTorch code;
  # python3-h5py writes the Keras .h5/.keras files the import tests read; python3-onnx (the official
  # ONNX checker) checks the exported ONNX models.
  apt_install chromium python3-torch python3-h5py python3-onnx
  if [ -x scripts/install-code-server.sh ]; then bash scripts/install-code-server.sh; fi
  install_software_vulkan
fi

#!/usr/bin/env bash
# Installs what wscheck needs on Debian 12 (only what is missing), then configures and builds.
# Usage: scripts/setup.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}

packages=(g++ meson ninja-build pkg-config libwebsockets-dev libcli11-dev nlohmann-json3-dev libssl-dev
          doctest-dev libpcre2-dev python3 python3-fastapi python3-uvicorn python3-websockets python3-aiohttp python3-socketio python3-jwt python3-jsonschema
          python3-venv python3-packaging
          libxml2-utils openssl
          man-db zsh
          prometheus chromium)  # test_watch.py: a real Prometheus scrape, the status page in headless Chromium
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from Debian (nodejs + npm) or from another vendor's nodejs
# package that bundles npm and conflicts with Debian's npm: ask for the commands.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -d tests/peers/node_modules/ws ] || [ ! -d tests/peers/node_modules/socket.io ]; then
  (cd tests/peers && npm install --no-audit --no-fund --silent)
fi
for module in graphql graphql-ws rpc-websockets; do  # peers for tests/e2e/test_proto_*.py
  if [ ! -d "tests/peers/node_modules/$module" ]; then
    (cd tests/peers && npm install --no-audit --no-fund --silent)
    break
  fi
done
if [ ! -f "$build_dir/build.ninja" ]; then
  meson setup "$build_dir" >/dev/null
fi
ninja -C "$build_dir"

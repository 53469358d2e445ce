#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Rotation Workbench development, tests and the CLI:
# system packages (Chromium for the end-to-end tests, OpenSSL for the test fixtures, a C++ toolchain for
# better-sqlite3's native build), then the npm dependencies from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
# The Electron and Playwright browser downloads need the internet; this project runs its browser tests
# in Debian's Chromium and never needs the Electron binary to test (see README, "Developer machines").
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

packages=(chromium openssl ca-certificates python3 make g++ git fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node -e 'const [major] = process.versions.node.split(".").map(Number); if (major < 20) { console.error(`Node.js 20 or later is needed (found ${process.version}).`); process.exit(1); }'
npm ci --no-audit --no-fund

#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Rotation Workbench development, tests and the CLI:
# system packages (Chromium for the end-to-end tests, OpenSSL for the test fixtures, a C++ toolchain for
# better-sqlite3's native build), PowerShell 7.6.10 where the .NET SDK exists (rehearsals), then the npm
# dependencies from the lockfile.
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

# Real PowerShell for the rehearsal and script tests: the generated PEP scripts run in it against the stand-in PEP.
# Where the .NET SDK exists it comes from NuGet as a .NET global tool (7.6.10: 7.7.0 does not install here);
# elsewhere the tests that need it are skipped and say why.
PWSH_VERSION=7.6.10
if ! command -v pwsh >/dev/null 2>&1 && [ ! -x "$HOME/.dotnet/tools/pwsh" ]; then
  if command -v dotnet >/dev/null 2>&1; then
    echo "Installing PowerShell $PWSH_VERSION (dotnet tool install --global PowerShell)"
    dotnet tool install --global PowerShell --version "$PWSH_VERSION"
  else
    echo "No .NET SDK on this machine: PowerShell is not installed, and the rehearsal tests will be skipped."
  fi
fi
# On PATH for the CLI and the app as well as for the tests (the tests also find ~/.dotnet/tools/pwsh themselves).
if ! command -v pwsh >/dev/null 2>&1 && [ -x "$HOME/.dotnet/tools/pwsh" ] && [ "$(id -u)" -eq 0 ]; then
  ln -sf "$HOME/.dotnet/tools/pwsh" /usr/local/bin/pwsh
fi
if command -v pwsh >/dev/null 2>&1 || [ -x "$HOME/.dotnet/tools/pwsh" ]; then
  "$(command -v pwsh || echo "$HOME/.dotnet/tools/pwsh")" -NoProfile -NonInteractive -Command '"PowerShell " + $PSVersionTable.PSVersion.ToString()'
fi

node -e 'const [major] = process.versions.node.split(".").map(Number); if (major < 20) { console.error(`Node.js 20 or later is needed (found ${process.version}).`); process.exit(1); }'
npm ci --no-audit --no-fund

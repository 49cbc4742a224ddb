#!/usr/bin/env bash
# Installs Outgate on this machine: Debian packages, a self-contained build in /opt/outgate,
# and `outgate` on PATH. Safe defaults: nothing is blocked.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "outgate: install needs root (sudo ./scripts/install.sh)" >&2; exit 1; }
./scripts/deps.sh
prefix=${OUTGATE_PREFIX:-/opt/outgate}
rid=linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')
dotnet publish src/Outgate.Cli/Outgate.Cli.csproj -c Release -r "$rid" --self-contained true -o "$prefix" -p:DebugType=none -v quiet
ln -sf "$prefix/outgate" /usr/local/bin/outgate
echo "installed: $(command -v outgate) -> $prefix/outgate"
outgate --version

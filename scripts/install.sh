#!/usr/bin/env bash
# Installs Outgate on this machine: Debian packages, a native (NativeAOT) build in /opt/outgate,
# and `outgate` on PATH. Safe defaults: nothing is blocked until you enable rules.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "outgate: install needs root (sudo ./scripts/install.sh)" >&2; exit 1; }
./scripts/deps.sh
prefix=${OUTGATE_PREFIX:-/opt/outgate}
rid=linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# NativeAOT starts in milliseconds (the CLI is run often, e.g. by --watch and scripts); fall back
# to a self-contained JIT build where the AOT toolchain is not available.
if ! dotnet publish src/Outgate.Cli/Outgate.Cli.csproj -c Release -r "$rid" -p:PublishAot=true -o "$tmp" -v quiet -nologo >"$tmp.log" 2>&1; then
  echo "NativeAOT build failed (see $tmp.log); installing a self-contained JIT build instead" >&2
  rm -rf "$tmp"; mkdir -p "$tmp"
  dotnet publish src/Outgate.Cli/Outgate.Cli.csproj -c Release -r "$rid" --self-contained true -o "$tmp" -v quiet -nologo
fi
mkdir -p "$prefix"
cp -a "$tmp"/. "$prefix"/
rm -f "$prefix"/*.pdb "$prefix"/*.dbg
ln -sf "$prefix/outgate" /usr/local/bin/outgate
mkdir -p /etc/outgate /var/lib/outgate
echo "installed: $(command -v outgate) -> $prefix/outgate"
outgate --version

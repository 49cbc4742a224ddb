#!/usr/bin/env bash
# Installs Outgate on this machine: Debian packages, the CLI and the daemon as native (NativeAOT) builds
# in /opt/outgate (self-contained JIT builds where the AOT toolchain fails), `outgate`/`outgated` on PATH, and starts the
# daemon in learn mode. Safe defaults: nothing is blocked until you run `outgate enable`.
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
mkdir -p "$prefix/daemon"
cp -a "$tmp"/. "$prefix"/
rm -f "$prefix"/*.pdb "$prefix"/*.dbg
# The daemon as NativeAOT too: ~90 MB instead of ~140 MB resident under load, no JIT storm delaying the first
# connections it decides after a (re)start, and it starts in ~0.15 s (docs/benchmarks.md, issue 5).
if ! dotnet publish src/Outgate.Daemon/Outgate.Daemon.csproj -c Release -r "$rid" -p:PublishAot=true -o "$tmp/daemon" -v quiet -nologo >"$tmp.daemon.log" 2>&1; then
  echo "NativeAOT build of the daemon failed (see $tmp.daemon.log); installing a self-contained JIT build instead" >&2
  rm -rf "$tmp/daemon"
  dotnet publish src/Outgate.Daemon/Outgate.Daemon.csproj -c Release -r "$rid" --self-contained true -o "$tmp/daemon" -v quiet -nologo -p:DebugType=none
fi
rm -rf "$prefix/daemon"
mkdir -p "$prefix/daemon"
cp -a "$tmp/daemon"/. "$prefix/daemon"/
rm -f "$prefix/daemon"/*.pdb "$prefix/daemon"/*.dbg "$prefix/daemon"/*.xml
ln -sf "$prefix/outgate" /usr/local/bin/outgate
ln -sf "$prefix/daemon/outgated" /usr/local/bin/outgated
mkdir -p /etc/outgate /var/lib/outgate /run/outgate
getent group outgate >/dev/null || groupadd --system outgate
echo "installed: $(command -v outgate) -> $prefix/outgate, $(command -v outgated) -> $prefix/daemon/outgated"
outgate --version

# Start the daemon in learn mode: it records, it never blocks.
if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; then
  install -m 0644 packaging/outgated.service /etc/systemd/system/outgated.service
  systemctl daemon-reload
  systemctl enable --now outgated.service
else
  # No systemd (containers, CI): run it detached, once.
  if ! outgate mode >/dev/null 2>&1; then
    mkdir -p /var/log/outgate
    DOTNET_GCgen0size=0x400000 setsid -f /usr/local/bin/outgated --mode learn >>/var/log/outgate/outgated.log 2>&1 < /dev/null
    for _ in $(seq 50); do outgate mode >/dev/null 2>&1 && break; sleep 0.1; done
  fi
fi
echo "outgated: mode $(outgate mode 2>/dev/null || echo 'not answering: see /var/log/outgate/outgated.log')"
# The dashboard (127.0.0.1:9474 by default): its URL and one-click login link.
outgate dashboard 2>/dev/null || echo "dashboard: see 'outgate status'"

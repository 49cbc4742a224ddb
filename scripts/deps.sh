#!/usr/bin/env bash
# Installs the Debian packages Outgate and its tests use. Idempotent; skips apt when all are present.
set -euo pipefail
# dnsmasq-base: the real DNS server of the domain-rule end-to-end tests (tests/Outgate.EndToEnd.Tests/Domains);
# libc-bin: getent, which those tests use to exercise the glibc resolver.
# postgresql: the fleet tests and bench/fleet start a private PostgreSQL 15 from its binaries (never the system cluster).
pkgs=(nftables iptables conntrack libnftables1 iproute2 lsof procps python3 util-linux bc dnsmasq-base libc-bin postgresql)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "outgate: need root to install: ${missing[*]} (run with sudo)" >&2; exit 1; fi
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "outgate: the .NET 10 SDK is required (https://dot.net); dotnet not found on PATH" >&2; exit 1; }

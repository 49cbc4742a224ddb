#!/usr/bin/env bash
# Installs the Debian packages Outgate and its tests use. Idempotent; skips apt when all are present.
set -euo pipefail
# dnsmasq-base: the real DNS server of the domain-rule end-to-end tests (tests/Outgate.EndToEnd.Tests/Domains);
# libc-bin: getent, which those tests use to exercise the glibc resolver;
# dbus-daemon: a private session bus for the desktop notification sink's tests (tests/Outgate.EndToEnd.Tests/Health);
# socat, ncat: the relay tools of the connect-back alert tests (tests/Outgate.EndToEnd.Tests/Alerts);
# chromium: the browser the dashboard's Playwright tests drive (tests/Outgate.Dashboard.Tests; never Playwright's own download);
# postgresql: the fleet tests and bench/fleet start a private PostgreSQL 15 from its binaries (never the system cluster);
# rsyslog: the real RFC 5424 collector of the syslog sink tests (tests/Outgate.EndToEnd.Tests/Sinks); they start their own
# rsyslogd from a temp config, so the package must not start (or enable) the host's one: see policy-rc.d below.
pkgs=(nftables iptables conntrack libnftables1 iproute2 lsof procps python3 util-linux bc dnsmasq-base libc-bin dbus-daemon socat ncat rsyslog chromium postgresql)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "outgate: need root to install: ${missing[*]} (run with sudo)" >&2; exit 1; fi
  echo "installing: ${missing[*]}"
  apt-get update -qq
  # A policy-rc.d that exits 101 tells invoke-rc.d not to start the services the packages ship (rsyslog would start a
  # host syslog daemon). Ours is temporary and removed afterwards; an existing one (containers have it) is left alone.
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# temporary, from outgate scripts/deps.sh: do not start services during this install\nexit 101\n' >"$guard"
    chmod 755 "$guard"
    trap 'rm -f "$guard"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  if [ -n "$guard" ]; then rm -f "$guard"; trap - EXIT; fi
  # The package also enables its unit for the next boot; a host that had no rsyslog before should not gain one.
  if [[ " ${missing[*]} " == *" rsyslog "* ]] && [ -d /run/systemd/system ]; then
    systemctl disable rsyslog.service >/dev/null 2>&1 || true
  fi
fi
command -v dotnet >/dev/null || { echo "outgate: the .NET 10 SDK is required (https://dot.net); dotnet not found on PATH" >&2; exit 1; }

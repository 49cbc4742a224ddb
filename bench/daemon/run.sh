#!/bin/sh
# Issue 5 benchmark, side by side in one run: new TCP connections/s and added connect latency with
# no firewall, static nft only, outgated with cached decisions, and a new process per connection
# (uncached) — plus the daemon's RSS and event counters. Two fresh namespaces joined by a veth;
# rules and the daemon only serve the client namespace.
# Usage: sudo bench/daemon/run.sh [--threads 1,4] [--seconds 2] [--rounds 3] [--spawns 200] [--peer opensnitch]
# --peer opensnitch: the same loads, in the same client namespace, against OpenSnitch's daemon too (Debian's package,
#   downloaded and unpacked by bench/daemon/opensnitch.sh, never installed), and a side-by-side table.
# Environment: OG_BENCH_DAEMON_DLL=PATH/outgated.dll runs another build (e.g. the previous commit's, for before/after),
#   or PATH/outgated a native one (dotnet publish -p:PublishAot=true, as scripts/install.sh does);
# OG_BENCH_DAEMON_ENV="K=V ..." adds runtime settings for the daemon only; OG_BENCH_PERF=FILE records perf of the daemon
# during the last cached load (with a perf map for JIT-compiled frames); OG_BENCH_SETTLE_SECONDS=N idles N s (default 20)
# before the second RSS reading.
set -eu
cd "$(dirname "$0")/../.."
C=og-bench-dc-$$ S=og-bench-ds-$$
# The harness writes opensnitchd's PID here while it runs (--peer opensnitch), so that a harness killed midway (the
# timeout below) does not leave it running: a process inside keeps a deleted namespace alive.
export OG_BENCH_PEER_PIDFILE=/tmp/og-bench-daemon-peer-$$.pid
cleanup() {
  if [ -f "$OG_BENCH_PEER_PIDFILE" ]; then
    pid=$(cat "$OG_BENCH_PEER_PIDFILE")
    case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in */opensnitchd) kill -KILL "$pid" 2>/dev/null || true ;; esac
    rm -f "$OG_BENCH_PEER_PIDFILE"
  fi
  ip netns delete "$C" 2>/dev/null || true; ip netns delete "$S" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
dotnet build -c Release bench/Outgate.Benchmarks -v q -nologo >/dev/null
dotnet build -c Release src/Outgate.Daemon -v q -nologo >/dev/null
. bench/netns-pair.sh
netns_pair 215
timeout 900 dotnet bench/Outgate.Benchmarks/bin/Release/net10.0/Outgate.Benchmarks.dll \
  daemon-load --client-ns "$C" --server-ns "$S" --server 10.215.0.2 \
  --daemon "${OG_BENCH_DAEMON_DLL:-$PWD/src/Outgate.Daemon/bin/Release/net10.0/outgated.dll}" "$@"

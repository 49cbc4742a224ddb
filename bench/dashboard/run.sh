#!/bin/sh
# Issue 7 benchmark, side by side in one run: events.db pre-filled with 100,000 events; the traffic
# page's stats calls timed; then ~1,000 new connections/s from a fresh client namespace for a bounded
# window with no dashboard page open vs the live view open in Debian's Chromium (Playwright, never
# `playwright install`): daemon CPU (utime+stime) per window and page update latency (decision event
# time → row in the live table, MutationObserver). Rules and the daemon only serve the client namespace.
# Usage: sudo bench/dashboard/run.sh [--rate 1000] [--seconds 20] [--events 100000] [--rounds 1]
set -eu
cd "$(dirname "$0")/../.."
C=og-bench-wc-$$ S=og-bench-ws-$$
cleanup() { ip netns delete "$C" 2>/dev/null || true; ip netns delete "$S" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
dotnet build -c Release bench/Outgate.Benchmarks -v q -nologo >/dev/null
dotnet build -c Release src/Outgate.Daemon -v q -nologo >/dev/null
. bench/netns-pair.sh
netns_pair 217
timeout 600 dotnet bench/Outgate.Benchmarks/bin/Release/net10.0/Outgate.Benchmarks.dll \
  dashboard-load --client-ns "$C" --server-ns "$S" --server 10.217.0.2 \
  --daemon "$PWD/src/Outgate.Daemon/bin/Release/net10.0/outgated.dll" "$@"

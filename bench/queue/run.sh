#!/bin/sh
# NFQUEUE load harness: two fresh namespaces joined by a veth; the harness installs/removes the
# queue rules only in the client one (ip netns exec) and opens its sockets there through setns'd threads.
# Usage: sudo bench/queue/run.sh [--threads 1,4] [--seconds 2] [--rounds 3] [--max 300000]
set -eu
cd "$(dirname "$0")/../.."
C=og-bench-qc-$$ S=og-bench-qs-$$
cleanup() { ip netns delete "$C" 2>/dev/null || true; ip netns delete "$S" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
dotnet build -c Release bench/Outgate.Benchmarks -v q -nologo >/dev/null
. bench/netns-pair.sh
netns_pair 213
timeout 300 dotnet bench/Outgate.Benchmarks/bin/Release/net10.0/Outgate.Benchmarks.dll \
  queue-load --client-ns "$C" --server-ns "$S" --server 10.213.0.2 "$@"

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
ip netns add "$C"; ip netns add "$S"
ip link add og0 netns "$C" type veth peer name og1 netns "$S"
ip -n "$C" addr add 10.213.0.1/24 dev og0; ip -n "$S" addr add 10.213.0.2/24 dev og1
for n in "$C" "$S"; do ip -n "$n" link set lo up; done
ip -n "$C" link set og0 up; ip -n "$S" link set og1 up
ip netns exec "$S" sysctl -qw net.core.somaxconn=4096
ip netns exec "$C" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
timeout 300 dotnet bench/Outgate.Benchmarks/bin/Release/net10.0/Outgate.Benchmarks.dll \
  queue-load --client-ns "$C" --server-ns "$S" --server 10.213.0.2 "$@"

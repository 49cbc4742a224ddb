#!/bin/sh
# Issue 6 benchmarks in one run, each side by side with its baseline: DNS resolution latency
# (p50/p99, queries/s) with no firewall, with an NFQUEUE + DnsAnswerParser consumer, and with
# outgated --dns-queue; 100,000 CIDRs (and 1M addresses) into an nft interval set through
# libnftables vs `nft -f`; a 1,000,000-domain list loaded by Outgate vs dnsmasq. Two fresh
# namespaces joined by a veth (client 10.216.0.1, server 10.216.0.2, dnsmasq there); queue rules
# and nft tables only ever go into the client namespace. Both are deleted on exit, with anything
# still running inside them (only processes this run started: the namespaces are new).
# Usage: sudo bench/dns/run.sh [--parts latency,sets,lists] [--threads 1,4] [--queries 20000]
#          [--rounds 3] [--tcp] [--timeout-ms 1000] [--cidrs 100000] [--addresses 1000000] [--domains 1000000]
set -eu
cd "$(dirname "$0")/../.."
C=og-bench-nc-$$ S=og-bench-ns-$$
cleanup() {
  for n in "$C" "$S"; do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  done
  sleep 0.2
  ip netns delete "$C" 2>/dev/null || true; ip netns delete "$S" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
dotnet build -c Release bench/Outgate.Benchmarks -v q -nologo >/dev/null
dotnet build -c Release src/Outgate.Daemon -v q -nologo >/dev/null
. bench/netns-pair.sh
netns_pair 216
timeout 2400 dotnet bench/Outgate.Benchmarks/bin/Release/net10.0/Outgate.Benchmarks.dll \
  dns-load --client-ns "$C" --server-ns "$S" --server 10.216.0.2 \
  --daemon "$PWD/src/Outgate.Daemon/bin/Release/net10.0/outgated.dll" "$@"

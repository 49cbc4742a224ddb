#!/bin/sh
# Static-rule cost, side by side in one run: new TCP connections/s and connect latency with no
# table vs the `inet outgate` table holding 1,000 rules (folded into sets and unfolded), then
# established-flow throughput with iperf3 with no table vs the 1,000-rule unfolded table.
# Two fresh namespaces joined by a veth; rules only in the client namespace.
# Usage: sudo bench/firewall/run.sh [--threads 1,4] [--seconds 2] [--rounds 3]
set -eu
cd "$(dirname "$0")/../.."
command -v iperf3 >/dev/null || { echo "iperf3 missing: apt-get install iperf3" >&2; exit 1; }
C=og-bench-fc-$$ S=og-bench-fs-$$
cleanup() { [ -n "${IPERF:-}" ] && kill "$IPERF" 2>/dev/null; ip netns delete "$C" 2>/dev/null || true; ip netns delete "$S" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
dotnet build -c Release bench/Outgate.Benchmarks -v q -nologo >/dev/null
. bench/netns-pair.sh
netns_pair 214
B=bench/Outgate.Benchmarks/bin/Release/net10.0/Outgate.Benchmarks.dll
timeout 300 dotnet "$B" firewall-load --client-ns "$C" --server-ns "$S" --server 10.214.0.2 --port 7777 "$@"

echo
echo "| iperf3, 1 TCP stream, 3 x 4 s (median) | Gbit/s | vs no table | vs conntrack baseline |"
echo "|---|---:|---:|---:|"
ip netns exec "$S" iperf3 -s -p 5201 -D --pidfile "/tmp/$S.iperf" >/dev/null
sleep 0.5; IPERF=$(cat "/tmp/$S.iperf")
one() { ip netns exec "$C" iperf3 -c 10.214.0.2 -p 5201 -t 4 -J | python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9)'; }
gbps() { for _ in 1 2 3; do one; done | sort -n | sed -n 2p; }
ip netns exec "$C" nft delete table inet outgate 2>/dev/null || true
base=$(gbps)
dotnet "$B" firewall-load --apply-unfolded "$C" 5201 0
ct=$(gbps)
# The same 1,000-rule policy, unfolded (1,000 linear rules before the allow), as outgate compiles it.
dotnet "$B" firewall-load --apply-unfolded "$C" 5201 1000
with=$(gbps)
printf "| no table | %.2f | 1.00 | |\n" "$base"
printf "| outgate, only the allow rule (conntrack baseline) | %.2f | %.2f | 1.00 |\n" "$ct" "$(echo "$ct / $base" | bc -l)"
printf "| outgate, 1,000 rules unfolded | %.2f | %.2f | %.2f |\n" "$with" "$(echo "$with / $base" | bc -l)" "$(echo "$with / $ct" | bc -l)"

#!/usr/bin/env bash
# Lists 10,000 TCP sockets inside a private network namespace with `outgate connections --json`,
# `ss -tanp` and `lsof -i -n -P`, in one run, once held by 1 process and once by 200 processes.
# Prints a markdown table with medians and ratios (outgate / ss, outgate / lsof).
# usage: sudo bench/connections/run.sh [RUNS]   (default 15 runs per tool and layout)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "run as root: the benchmark creates a network namespace" >&2; exit 1; }
runs=${1:-15}
py=/usr/bin/python3
command -v lsof >/dev/null || { echo "lsof missing: apt-get install lsof" >&2; exit 1; }

out=artifacts/bench-outgate
if [ ! -x "$out/outgate" ] || [ -n "${REBUILD:-}" ]; then
  echo "building outgate (NativeAOT, Release) into $out ..." >&2
  dotnet publish src/Outgate.Cli/Outgate.Cli.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$out" -v quiet >&2
fi

ns=""
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -z "$ns" ] || ip netns delete "$ns" 2>/dev/null || true
}
trap cleanup EXIT

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_ms() { # median wall time in ms of "$@" over $runs runs (after one warm-up)
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
  done | median | awk '{printf "%.1f", $1/1000}'
}

start_holders() { # $1 processes, $2 pairs each
  local n=$1 pairs=$2 i
  for i in $(seq "$n"); do
    ip netns exec "$ns" "$py" bench/connections/sockets.py "$pairs" $((20000 + i)) > "/tmp/$ns.$i" &
    pids+=($!)
  done
  for i in $(seq "$n"); do
    for _ in $(seq 600); do grep -q ready "/tmp/$ns.$i" 2>/dev/null && break; sleep 0.1; done
    grep -q ready "/tmp/$ns.$i" || { echo "holder $i did not start" >&2; exit 1; }
    rm -f "/tmp/$ns.$i"
  done
}
stop_holders() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }

echo "| layout | sockets | outgate connections --json | ss -tanp | lsof -i -n -P | outgate/ss | outgate/lsof |"
echo "|---|---|---|---|---|---|---|"
for layout in "1 5000" "200 25"; do
  set -- $layout
  # A fresh namespace per layout: the previous layout's closed sockets would linger in TIME_WAIT.
  [ -z "$ns" ] || ip netns delete "$ns"
  ns="og-bench-$$-$RANDOM"
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  start_holders "$1" "$2"
  count=$(ip netns exec "$ns" ss -tan | tail -n +2 | wc -l)
  got=$(ip netns exec "$ns" "$out/outgate" connections --json -t | grep -c '"pid": [0-9]' || true)
  [ "$got" -ge $(( $1 * $2 * 2 )) ] || { echo "outgate attributed only $got sockets" >&2; exit 1; }
  o=$(time_ms ip netns exec "$ns" "$out/outgate" connections --json)
  s=$(time_ms ip netns exec "$ns" ss -tanp)
  l=$(time_ms ip netns exec "$ns" lsof -i -n -P)
  printf "| %s process(es) | %s | %s ms | %s ms | %s ms | %.2f | %.2f |\n" "$1" "$count" "$o" "$s" "$l" \
    "$(echo "$o / $s" | bc -l)" "$(echo "$o / $l" | bc -l)"
  stop_holders
done

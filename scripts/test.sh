#!/usr/bin/env bash
# Runs every test project. Kernel tests need root (they create og-test-* network namespaces and
# never touch the host's own ruleset); without root they skip and say why.
# Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh || exit 1
rm -rf TestResults tests/*/bin/*/net10.0/TestResults
log=$(mktemp /tmp/outgate-test.XXXXXX.log)
dotnet test --solution Outgate.slnx -c Release --results-directory TestResults 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(awk '/^Test run summary/{s=1} s&&$1=="succeeded:"{p+=$2} s&&$1=="failed:"{f+=$2} s&&$1=="skipped:"{k+=$2} END{printf "%d passed, %d failed, %d skipped\n",p,f,k}' "$log")
if [ "$rc" -ne 0 ] && echo "$summary" | grep -q ' 0 failed'; then
  # A crashed test host or a build error writes no failure count: never report green for it.
  summary=$(echo "$summary" | sed 's/ 0 failed/ 1 failed/')
  echo "dotnet test exited with $rc (build error or crashed test host, see above)"
fi
rm -f "$log"
echo "$summary"
exit "$rc"

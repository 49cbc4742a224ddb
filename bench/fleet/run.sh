#!/usr/bin/env bash
# Fleet benchmarks (issue 9), against a private PostgreSQL 15 started here (never the system cluster):
#   1. ingest: 3 outgated --no-kernel (3 shippers, as 3 hosts) each start with a prefilled events.db of
#      --events-per-host decision events and ship them; rows/s = all rows / time from the first to the last row.
#   2. search: --rows events generated server-side (generate_series, chunks of 1M) over 10 days and 200 hosts,
#      then --queries `GET /v1/fleet/search?domain=...&since=1d` through a daemon's unix socket (curl), p50/p95/max.
# usage: sudo bench/fleet/run.sh [--events-per-host 300000] [--rows 10000000] [--queries 200] [--parts ingest,search]
#                               [--pg-setting NAME=VALUE]... (server settings on top of Debian's defaults + max_wal_size=4GB)
# Everything lives in /tmp/og-fleet-bench-*; processes are ended by PID and the directory removed on exit.
set -euo pipefail
EVENTS=300000; ROWS=10000000; QUERIES=200; PARTS=ingest,search; PG_SETTINGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --events-per-host) EVENTS=$2; shift 2;; --rows) ROWS=$2; shift 2;; --queries) QUERIES=$2; shift 2;; --parts) PARTS=$2; shift 2;;
    --pg-setting) PG_SETTINGS+=(-c "$2"); shift 2;;
    *) echo "unknown option $1" >&2; exit 1;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "run as root (initdb runs as the postgres user)" >&2; exit 1; }
BIN=/usr/lib/postgresql/15/bin
[ -x $BIN/initdb ] || { echo "needs PostgreSQL 15 server binaries in $BIN (scripts/deps.sh)" >&2; exit 1; }
ROOT_DIR=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$ROOT_DIR/src/Outgate.Daemon" -c Release -v q -nologo >/dev/null
DLL="$ROOT_DIR/src/Outgate.Daemon/bin/Release/net10.0/outgated.dll"

W=$(mktemp -d /tmp/og-fleet-bench-XXXXXX); chmod 755 "$W"; chown postgres: "$W"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${PG_PID:-}" ] && kill -INT "$PG_PID" 2>/dev/null && for _ in $(seq 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.2; done
  rm -rf "$W"
}
trap cleanup EXIT
trap "exit 130" INT TERM
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
setpriv --reuid=postgres --regid=postgres --init-groups -- $BIN/initdb -D "$W/data" -U outgate --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
setpriv --reuid=postgres --regid=postgres --init-groups -- $BIN/postgres -D "$W/data" -p "$PORT" -k "$W" -c listen_addresses=127.0.0.1 \
  -c max_wal_size=4GB -c log_min_messages=warning "${PG_SETTINGS[@]}" >"$W/pg.log" 2>&1 &
PG_PID=$!
for _ in $(seq 100); do $BIN/pg_isready -q -h 127.0.0.1 -p "$PORT" -U outgate && break; sleep 0.2; done
CONN="Host=127.0.0.1;Port=$PORT;Username=outgate;Database=postgres"
psql() { "$BIN/psql" -X -q -t -A -h 127.0.0.1 -p "$PORT" -U outgate -d postgres "$@"; }
echo "PostgreSQL 15 on 127.0.0.1:$PORT (pid $PG_PID, defaults + max_wal_size=4GB${PG_SETTINGS[*]:+ }${PG_SETTINGS[*]}); $(nproc) vCPU; load average $(cut -d' ' -f1-3 /proc/loadavg)"

start_daemon() { # NAME STATE_DIR
  mkdir -p "$W/$1/config"
  dotnet "$DLL" --no-kernel --socket "$W/$1/outgate.sock" --state-dir "$2" --config-dir "$W/$1/config" \
    --fleet-db "$CONN" --host-name "$1" --max-events 0 >"$W/$1.log" 2>&1 &
  PIDS+=($!)
}
status() { curl -s --unix-socket "$W/$1/outgate.sock" http://outgated/v1/fleet/status; }

if [[ $PARTS == *ingest* ]]; then
  echo; echo "== ingest: 3 shippers x $EVENTS events =="
  GEN=()
  for h in 1 2 3; do mkdir -p "$W/bench-$h/state"; python3 "$ROOT_DIR/bench/fleet/make_events_db.py" "$W/bench-$h/state/events.db" "$EVENTS" "$h" & GEN+=($!); done
  wait "${GEN[@]}"
  LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
  for h in 1 2 3; do start_daemon "bench-$h" "$W/bench-$h/state"; done
  T0=""; C0=0; LAST=0
  for _ in $(seq 1200); do # at most 10 minutes
    C=$(psql -c "SELECT count(*) FROM events" 2>/dev/null || echo 0); NOW=$(date +%s.%N)
    if [ -z "$T0" ] && [ "$C" -gt 0 ]; then T0=$NOW; C0=$C; fi
    if [ "$C" -ge $((3 * EVENTS)) ]; then T1=$NOW; LAST=$C; break; fi
    sleep 0.5
  done
  [ -n "${T1:-}" ] || { echo "ingest did not finish in 10 minutes (count $C)"; for h in 1 2 3; do status bench-$h; echo; done; exit 1; }
  python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[4])-int(sys.argv[3]); print(f'ingested {n:,} rows in {t:.2f} s after the first row = {n/t:,.0f} rows/s (3 shippers, batches of 5,000, binary COPY into 1 day partition: primary key, BRIN on time, 4 B-trees without time)')" "$T0" "$T1" "$C0" "$LAST"
  echo "load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"
  DUPS=$(psql -c "SELECT count(*) - count(DISTINCT (host_id, event_id)) FROM events")
  echo "duplicates: $DUPS; per host: $(psql -c "SELECT string_agg(name || '=' || events_shipped, ', ' ORDER BY name) FROM hosts")"
  # CPU seconds (user+sys) spent, to tell slow code from a CPU-starved machine: the shippers' own, and PostgreSQL's
  # (the postmaster's children are counted once they exit, so read it after the daemons, and their backends, are gone).
  cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat"; }
  DAEMON_CPU=0; for p in "${PIDS[@]}"; do DAEMON_CPU=$(python3 -c "print($DAEMON_CPU + $(cpu "$p"))"); done
  for h in 1 2 3; do kill "${PIDS[$((h-1))]}"; done
  for p in "${PIDS[@]}"; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done; PIDS=(); sleep 1
  python3 -c "import sys; d,p,n=float(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]); print(f'CPU: shippers {d:.1f} s, PostgreSQL {p:.1f} s (whole run, incl. start) = {d*1e5/n:.2f} + {p*1e5/n:.2f} s per 100k rows')" "$DAEMON_CPU" "$(cpu "$PG_PID")" "$LAST"
fi

if [[ $PARTS == *search* ]]; then
  echo; echo "== search: $ROWS events over 10 days, 200 hosts =="
  mkdir -p "$W/query/state"; start_daemon query "$W/query/state"
  for _ in $(seq 100); do status query 2>/dev/null | grep -q '"connected":true' && break; sleep 0.2; done
  psql -c "INSERT INTO hosts (host_id, name, last_heartbeat, mode, policy_digest) SELECT md5('h' || g)::uuid, 'gen-' || g, now(), 'enforce', 'digest' || (g % 3 = 0)::int FROM generate_series(1, 200) g ON CONFLICT DO NOTHING" >/dev/null
  for d in $(seq 0 10); do psql -c "CREATE TABLE IF NOT EXISTS events_p$(date -u -d "-$d day" +%Y%m%d) PARTITION OF events FOR VALUES FROM ('$(date -u -d "-$d day" +%F) 00:00:00+00') TO ('$(date -u -d "-$((d-1)) day" +%F) 00:00:00+00')" >/dev/null; done
  # Bulk load without the secondary indexes, then build them (much faster than maintaining them row by row);
  # the CREATE INDEX lines are FleetSchema's migrations 1 and 2.
  psql -c "DROP INDEX IF EXISTS events_time_brin, events_dst, events_exe, events_rdomain, events_alert_time" >/dev/null
  CHUNK=1000000; DONE=0; GT0=$(date +%s.%N)
  while [ $DONE -lt "$ROWS" ]; do
    N=$(( ROWS - DONE < CHUNK ? ROWS - DONE : CHUNK ))
    # Domains: 20,000 names under 500 parent domains, Zipf-like (a few very common); times spread over 10 days.
    psql -c "INSERT INTO events (host_id, event_id, time, type, severity, pid, exe, uid, proto, src, src_port, dst, dst_port, domain, verdict, rule)
      SELECT md5('h' || (1 + g % 200))::uuid, g, now() - (random() * interval '10 days'), 'decision', 'info', 1000, '/usr/bin/app' || (floor(power(random(), 3) * 100))::int,
             1000, 'tcp', '10.0.0.1', 40000, '198.51.' || (z / 250)::int || '.' || (z % 250)::int, 443, 'h' || z || '.site' || (z % 500) || '.example', 'allow', 'rule 1'
      FROM (SELECT g, floor(power(random(), 4) * 20000)::int AS z FROM generate_series($((DONE + 1)), $((DONE + N))) g) s" >/dev/null
    DONE=$((DONE + N)); echo "  $DONE rows ($(cut -d' ' -f1 /proc/loadavg) load)"
  done
  echo "  building indexes"
  psql -c "CREATE INDEX IF NOT EXISTS events_time_brin ON events USING brin (time)" >/dev/null
  psql -c "CREATE INDEX IF NOT EXISTS events_dst ON events (dst) WHERE dst IS NOT NULL" >/dev/null
  psql -c "CREATE INDEX IF NOT EXISTS events_exe ON events (exe) WHERE exe IS NOT NULL" >/dev/null
  psql -c "CREATE INDEX IF NOT EXISTS events_rdomain ON events ((reverse(domain)) COLLATE \"C\") WHERE domain IS NOT NULL" >/dev/null
  psql -c "CREATE INDEX IF NOT EXISTS events_alert_time ON events (time) WHERE type = 'alert'" >/dev/null
  GT1=$(date +%s.%N)
  psql -c "ANALYZE events" >/dev/null
  echo "generated $(psql -c "SELECT count(*) FROM events") rows in $(python3 -c "print(f'{$GT1-$GT0:.0f}')") s; table+indexes $(psql -c "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'events'::regclass")"
  echo "plan (domain search, 1 day):"
  psql -c "EXPLAIN SELECT count(*) FROM events e WHERE e.time >= now() - interval '1 day' AND e.type = 'decision' AND e.domain IS NOT NULL AND reverse(e.domain) COLLATE \"C\" >= 'elpmaxe.7etis' AND reverse(e.domain) COLLATE \"C\" < 'elpmaxe.7etis/'" | head -8 | sed 's/^/    /'
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  TIMES="$W/times.txt"; : > "$TIMES"
  for i in $(seq "$QUERIES"); do
    R=$((RANDOM % 500)); KIND=$((i % 2))
    # Half parent domains (site-R.example: every subdomain), half single names.
    if [ $KIND -eq 0 ]; then D="site$R.example"; else D="h$((RANDOM % 20000)).site$(( (RANDOM % 20000) % 500 )).example"; fi
    curl -s -o /dev/null -w '%{time_total}\n' --unix-socket "$W/query/outgate.sock" "http://outgated/v1/fleet/search?domain=$D&since=1d" >> "$TIMES"
  done
  python3 - "$TIMES" <<'PY'
import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print(f"fleet search (GET /v1/fleet/search?domain=..&since=1d through outgated, {len(t)} queries): p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, max {t[-1]:.1f} ms")
PY
  echo "example answer: $(curl -s --unix-socket "$W/query/outgate.sock" "http://outgated/v1/fleet/search?domain=site7.example&since=1d&limit=2" | cut -c1-300)"
  echo "load average before the queries $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"
fi

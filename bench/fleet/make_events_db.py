#!/usr/bin/env python3
"""Writes an events.db (schema version 3, as EventStoreSchema creates it) with N decision events for one bench host.

usage: make_events_db.py PATH N SEED
Times are the last N seconds/1000 before now (recent, so retention keeps them); programs, destinations and domains
come from small fixed sets so fleet queries have something to group.
"""
import random, sqlite3, sys, time

path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
db = sqlite3.connect(path)
db.executescript("""
PRAGMA journal_mode = WAL;
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL,
    message TEXT, pid INTEGER, exe TEXT, uid INTEGER, user TEXT, unit TEXT, container TEXT, proto TEXT, src TEXT,
    src_port INTEGER, dst TEXT, dst_port INTEGER, domain TEXT, verdict TEXT, rule TEXT, bytes_out INTEGER, bytes_in INTEGER,
    tags TEXT, details TEXT);
CREATE INDEX events_time ON events (time);
CREATE TABLE alert_acks (event_id INTEGER PRIMARY KEY, time INTEGER NOT NULL, by TEXT);
PRAGMA user_version = 3;
""")
exes = [f"/usr/bin/app{i}" for i in range(50)]
now_us = int(time.time() * 1_000_000)
start = now_us - n * 1000
rows = []
for i in range(n):
    d = rng.randrange(5000)
    rows.append((start + i * 1000, "decision", "info", None, 1000 + i % 30000, rng.choice(exes), 1000, "alice", None, None, "tcp",
                 "10.0.0.1", 30000 + i % 30000, f"192.0.{d // 250}.{d % 250}", 443, f"host{d}.example{d % 100}.com", "allow",
                 "rule 1", None, None, None, None))
db.executemany("INSERT INTO events (time, type, severity, message, pid, exe, uid, user, unit, container, proto, src, src_port, dst, dst_port, domain, verdict, rule, bytes_out, bytes_in, tags, details) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
db.commit()
db.close()

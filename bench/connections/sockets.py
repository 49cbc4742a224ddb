"""Holds N TCP connection pairs on loopback (2N sockets) in this process, then sleeps.

usage: sockets.py PAIRS PORT   (prints "ready" when every pair is established)
"""
import resource, socket, sys, time

pairs, port = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_NOFILE, (pairs * 2 + 64, pairs * 2 + 64))
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(4096)
keep = []
deadline = time.time() + 60
for _ in range(pairs):
    if time.time() > deadline:
        sys.exit("timed out opening connections")
    c = socket.create_connection(("127.0.0.1", port))
    s, _ = server.accept()
    keep += [c, s]
print("ready", flush=True)
time.sleep(600)

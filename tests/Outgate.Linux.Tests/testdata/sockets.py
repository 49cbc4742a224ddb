# Opens the sockets SockDiagClientTests expects, prints them as one JSON line, then waits for stdin to close.
import json, os, socket, sys

def inode(s):
    return int(os.readlink("/proc/self/fd/%d" % s.fileno())[len("socket:["):-1])

out = {"pid": os.getpid()}
l4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM); l4.bind(("127.0.0.1", 7001)); l4.listen()
l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM); l6.bind(("::1", 7002)); l6.listen()
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(("::1", 7004))
# A socket's uid is the creator's fsuid: make one as nobody.
os.setegid(65534); os.seteuid(65534)
u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u4.bind(("127.0.0.1", 7003))
os.seteuid(0); os.setegid(0)
c = socket.create_connection(("127.0.0.1", 7001)); s, _ = l4.accept()
c.sendall(b"a" * 5000); got = 0
while got < 5000: got += len(s.recv(65536))
s.sendall(b"b" * 3000); got = 0
while got < 3000: got += len(c.recv(65536))
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); uc.connect(("127.0.0.1", 7003))
out.update(l4=inode(l4), l6=inode(l6), u4=inode(u4), u6=inode(u6), c=inode(c), s=inode(s), uc=inode(uc),
           cport=c.getsockname()[1], ucport=uc.getsockname()[1])
try:
    lite = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 136); lite.bind(("127.0.0.1", 7005)); out["lite"] = inode(lite)
except OSError as e:
    out["lite_error"] = str(e)
try:
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); out["raw"] = inode(raw)
except OSError as e:
    out["raw_error"] = str(e)
many = []
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 0):
    m = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); m.bind(("127.0.0.1", 0)); many.append(m)
print(json.dumps(out), flush=True)
sys.stdin.read()

namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>The python3 programs a <see cref="DomainLab"/> runs in its namespaces (written to its script directory).</summary>
internal static class DomainScripts
{
    /// <summary>
    /// connect.py HOST PORT TIMEOUT FAMILY(4|6|any) HOLD(0|1): resolves HOST through glibc
    /// (getaddrinfo, so resolv.conf and the real resolver are used; an IP literal is not looked up),
    /// then makes exactly ONE connect attempt to the first address, sends "ping" and expects the echo.
    /// Prints "resolved ADDR" then "open" or why not. With HOLD=1 it keeps the connection until stdin closes.
    /// </summary>
    public const string Connect = """
        import socket, sys
        host, port, timeout, fam, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5] == '1'
        family = {'4': socket.AF_INET, '6': socket.AF_INET6, 'any': socket.AF_UNSPEC}[fam]
        try:
            infos = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
        except OSError as e:
            print('resolve-failed', e, flush=True); sys.exit(0)
        f, _, _, _, addr = infos[0]
        print('resolved', addr[0], flush=True)
        s = socket.socket(f, socket.SOCK_STREAM); s.settimeout(timeout)
        try:
            s.connect(addr); s.sendall(b'ping')
            print('open' if s.recv(16) == b'ping' else 'bad-echo', flush=True)
        except OSError as e:
            print('connect-failed', type(e).__name__, e, flush=True); sys.exit(0)
        if hold:
            sys.stdin.readline()
        """;

    /// <summary>
    /// query.py SERVER NAME TYPE(A|AAAA|CNAME) PROTO(udp|tcp): one raw DNS query, the answer
    /// section printed as JSON {"rcode":N,"tc":B,"answers":[{"name","type","ttl","data"}]}.
    /// </summary>
    public const string Query = """
        import json, socket, struct, sys
        server, name, qtype, proto = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
        types = {'A': 1, 'AAAA': 28, 'CNAME': 5}
        q = struct.pack('>HHHHHH', 0x4f47, 0x0100, 1, 0, 0, 0) + b''.join(bytes([len(l)]) + l.encode() for l in name.split('.')) + b'\0' + struct.pack('>HH', types[qtype], 1)
        if proto == 'tcp':
            s = socket.create_connection((server, 53), timeout=3); s.sendall(struct.pack('>H', len(q)) + q)
            buf = b''
            while len(buf) < 2 or len(buf) < 2 + struct.unpack('>H', buf[:2])[0]:
                d = s.recv(65535)
                if not d: break
                buf += d
            m = buf[2:]
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3); s.sendto(q, (server, 53)); m = s.recv(65535)
        def rname(o):
            labels, end, hops = [], None, 0
            while True:
                n = m[o]
                if n >= 0xc0:
                    if end is None: end = o + 2
                    o = ((n & 0x3f) << 8) | m[o + 1]; hops += 1
                    if hops > 20: raise ValueError('compression loop')
                elif n == 0:
                    return '.'.join(labels), (end if end is not None else o + 1)
                else:
                    labels.append(m[o + 1:o + 1 + n].decode()); o += 1 + n
        _, flags, qd, an, _, _ = struct.unpack('>HHHHHH', m[:12])
        o = 12
        for _ in range(qd):
            _, o = rname(o); o += 4
        out = []
        for _ in range(an):
            nm, o = rname(o); t, c, ttl, rl = struct.unpack('>HHIH', m[o:o + 10]); o += 10; rd = m[o:o + rl]
            data = socket.inet_ntop(socket.AF_INET, rd) if t == 1 else socket.inet_ntop(socket.AF_INET6, rd) if t == 28 else rname(o)[0] if t == 5 else rd.hex()
            o += rl
            out.append({'name': nm, 'type': t, 'ttl': ttl, 'data': data})
        print(json.dumps({'rcode': flags & 15, 'tc': bool(flags & 0x200), 'answers': out}))
        """;

    /// <summary>
    /// garbage_server.py ADDR SERVER_SUBNET: a fake DNS server on ADDR:53 (UDP and TCP) answering
    /// query number I with malformed answer I of a fixed corpus (seeded, so every run sends the same
    /// bytes): too short, every truncation of a valid answer, compression-pointer loops, bad label
    /// lengths, over-long names, lying counts and rdlengths, CNAME loops and long chains, 64 KB
    /// answers, random bytes. The query id is copied into the answer (when it has room) so the answer
    /// matches the client's query. Prints "ready N_UDP N_TCP".
    /// </summary>
    public const string GarbageServer = """
        import random, socket, struct, sys, threading
        addr, subnet = sys.argv[1], int(sys.argv[2])
        rnd = random.Random(20261126)
        def name(n): return b''.join(bytes([len(l)]) + l for l in n.split(b'.')) + b'\0'
        def hdr(flags=0x8580, qd=1, an=1, ns=0, ar=0): return struct.pack('>HHHHHH', 0, flags, qd, an, ns, ar)
        Q = name(b'allowed.test') + struct.pack('>HH', 1, 1)
        QEND = 12 + len(Q)
        def rr(nm, t, data, ttl=1): return nm + struct.pack('>HHIH', t, 1, ttl, len(data)) + data
        A = bytes([10, subnet, 0, 11])
        valid = hdr() + Q + rr(b'\xc0\x0c', 1, A)
        c = []
        c += [b'', b'\x00', b'\xff' * 11, hdr()[:12]]
        c += [valid[:i] for i in range(2, len(valid))]
        c.append(hdr() + Q + rr(bytes([0xc0, QEND]), 1, A))                                 # answer name points at itself
        c.append(hdr() + Q + bytes([0xc0, QEND + 2, 0xc0, QEND]) + struct.pack('>HHIH', 1, 1, 1, 4) + A)  # two pointers in a loop
        c.append(hdr() + b'\xc0\x0c' + struct.pack('>HH', 1, 1) + rr(b'\xc0\x0c', 1, A))        # question name points at itself
        c.append(hdr() + Q + rr(b'\xc0\xff', 1, A))                                          # pointer past the end
        c.append(hdr() + Q + rr(b'\xff\xff', 1, A))                                          # pointer to 16383
        c.append(hdr() + Q + rr(bytes([0xc0, 0x00]), 1, A))                                  # pointer into the header
        for lead in (0x40, 0x80, 0xbf, 0x3f):                                               # reserved label types, label past the end
            c.append(hdr() + Q + rr(bytes([lead]) + b'abc\0', 1, A))
        c.append(hdr() + Q + rr(b''.join(bytes([63]) + b'a' * 63 for _ in range(8)) + b'\0', 1, A))      # name over 255 bytes
        c.append(hdr() + Q + rr(b''.join(bytes([1]) + b'a' for _ in range(200)) + b'\0', 1, A))          # 200 labels
        c.append(hdr() + Q + b'\xc0\x0c' + struct.pack('>HHIH', 1, 1, 1, 16) + A)                         # A with rdlength 16
        c.append(hdr() + Q + b'\xc0\x0c' + struct.pack('>HHIH', 1, 1, 1, 65535) + A)                      # rdlength past the end
        c.append(hdr() + Q + rr(b'\xc0\x0c', 1, b''))                                                     # A with no data
        c.append(hdr() + Q + rr(b'\xc0\x0c', 1, A + A))                                                   # A with 8 bytes
        c.append(hdr() + Q + rr(b'\xc0\x0c', 28, A))                                                      # AAAA with 4 bytes
        c.append(hdr(an=65535) + Q + rr(b'\xc0\x0c', 1, A))                                              # lying answer count
        c.append(hdr(qd=65535) + Q + rr(b'\xc0\x0c', 1, A))                                              # lying question count
        c.append(hdr(qd=0) + rr(b'\xc0\x0c', 1, A))                                                       # no question, pointer to nowhere
        c.append(hdr(flags=0x0100) + Q + rr(b'\xc0\x0c', 1, A))                                          # QR=0: a query, not an answer
        c.append(hdr(flags=0x8783) + Q + rr(b'\xc0\x0c', 1, A))                                          # NXDOMAIN with an answer, TC set
        c.append(hdr(an=2) + Q + rr(b'\xc0\x0c', 5, name(b'b.test')) + rr(name(b'b.test'), 5, b'\xc0\x0c'))   # CNAME loop
        chain = b''.join(rr(name(b'c%d.test' % i) if i else b'\xc0\x0c', 5, name(b'c%d.test' % (i + 1))) for i in range(60))
        c.append(hdr(an=61) + Q + chain + rr(name(b'c60.test'), 1, A))                                    # 60-long CNAME chain
        c.append(hdr(an=1) + Q + rr(b'\xc0\x0c', 5, b'\xc0\x0c'))                                        # CNAME to itself
        c.append(hdr(an=1) + Q + rr(b'\xc0\x0c', 1, A, ttl=0xffffffff))                                  # TTL 2^32-1
        c.append(hdr(an=1) + Q + rr(b'\xc0\x0c', 1, A, ttl=0))                                           # TTL 0
        c.append(hdr(an=3000) + Q + b''.join(rr(b'\xc0\x0c', 1, bytes([10, subnet, 1 + i // 250, 1 + i % 250])) for i in range(3000)))  # 48 KB of A records
        c.append(hdr(an=65535) + Q + bytes(rnd.getrandbits(8) for _ in range(65000 - QEND)))             # 64 KB of noise
        while len(c) < 200:
            body = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 600)))
            c.append(struct.pack('>HHHHHH', 0, rnd.getrandbits(16), rnd.randint(0, 3), rnd.randint(0, 40), rnd.randint(0, 3), rnd.randint(0, 3)) + (Q if rnd.random() < 0.5 else b'') + body)
        def withid(m, qid): return struct.pack('>H', qid) + m[2:] if len(m) >= 2 else m
        t = []
        t.append(struct.pack('>H', len(valid)) + valid[:-3])                     # framed length longer than what follows, then close
        t.append(struct.pack('>H', 65535) + valid)                              # claims 64 KB
        t.append(struct.pack('>H', 0))                                          # empty message
        t.append(b'\x00')                                                       # half a length prefix
        t.append(struct.pack('>H', len(c[len(valid) + 2])) + c[len(valid) + 2])  # a pointer loop over TCP
        t.append(struct.pack('>H', 3) + b'abc' + struct.pack('>H', len(valid)) + valid)  # garbage then a valid answer in one stream
        t.append(b''.join(struct.pack('>H', len(m)) + m for m in c[:40]))       # 40 framed bad answers back to back
        big = max(c, key=len)
        t.append(struct.pack('>H', len(big)) + big)                             # the biggest answer, framed
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind((addr, 53))
        l = socket.socket(socket.AF_INET, socket.SOCK_STREAM); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind((addr, 53)); l.listen(16)
        def udp():
            while True:
                q, peer = u.recvfrom(2048)
                if len(q) < 2: continue
                qid = struct.unpack('>H', q[:2])[0]
                u.sendto(withid(c[qid % len(c)], qid), peer)
        def tcp():
            while True:
                s, _ = l.accept()
                try:
                    s.settimeout(2)
                    q = s.recv(2048)
                    qid = struct.unpack('>H', q[2:4])[0] if len(q) >= 4 else 0
                    m = t[qid % len(t)]
                    s.sendall(m[:2] + withid(m[2:], qid) if len(m) > 4 else m)
                except OSError:
                    pass
                finally:
                    s.close()
        threading.Thread(target=udp, daemon=True).start()
        print('ready', len(c), len(t), flush=True)
        tcp()
        """;

    /// <summary>
    /// garbage_client.py SERVER N_UDP N_TCP: sends query I (id I, for allowed.test A) to SERVER:53 for
    /// every corpus entry, one at a time, over UDP then TCP, and prints how many answers came back.
    /// </summary>
    public const string GarbageClient = """
        import socket, struct, sys
        server, n_udp, n_tcp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        def query(i): return struct.pack('>HHHHHH', i, 0x0100, 1, 0, 0, 0) + bytes([7]) + b'allowed' + bytes([4]) + b'test' + b'\0' + struct.pack('>HH', 1, 1)
        udp = 0
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
        for i in range(n_udp):
            s.sendto(query(i), (server, 53))
            try:
                s.recv(70000); udp += 1
            except OSError:
                pass
        tcp = 0
        for i in range(n_tcp):
            try:
                with socket.create_connection((server, 53), timeout=1) as c:
                    q = query(i); c.sendall(struct.pack('>H', len(q)) + q)
                    if c.recv(70000): tcp += 1
            except OSError:
                pass
        print(udp, tcp)
        """;

    /// <summary>listener.py PORT: a TCP echo listener on every address (both families), for ports the lab's echo server lacks (853).</summary>
    public const string Listener = """
        import socket, sys, threading
        port = int(sys.argv[1])
        def listen(fam, host):
            l = socket.socket(fam, socket.SOCK_STREAM); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if fam == socket.AF_INET6: l.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            l.bind((host, port)); l.listen(64); return l
        def echo(c):
            try:
                while True:
                    d = c.recv(4096)
                    if not d: break
                    c.sendall(d)
            except OSError: pass
            finally: c.close()
        def serve(l):
            while True:
                c, _ = l.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()
        ls = [listen(socket.AF_INET, '0.0.0.0'), listen(socket.AF_INET6, '::')]
        ts = [threading.Thread(target=serve, args=(l,), daemon=True) for l in ls]
        for t in ts: t.start()
        print('ready', flush=True)
        ts[0].join()
        """;
}

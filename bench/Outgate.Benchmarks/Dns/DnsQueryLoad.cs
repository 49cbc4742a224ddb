using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Netlink;

namespace Outgate.Benchmarks.Dns;

/// <summary>
/// Closed-loop DNS client: each thread (a socket made in the client namespace) asks one query,
/// waits for the answer with the same id (or the timeout), records the round trip and asks the
/// next. Bounded by the query count and a time limit. UDP uses one connected socket per thread;
/// TCP one connection per thread carrying every query (RFC 7766 framing), as a stub resolver that
/// fell back to TCP would.
/// </summary>
internal static class DnsQueryLoad
{
    private const int Closed = -2;

    internal sealed record Result(string Scenario, string Transport, int Threads, int Answered, int TimedOut, int NotNoError, double PerSecond, long[] Latencies)
    {
        public double P50 => Percentile(0.50);
        public double P99 => Percentile(0.99);
        public double Percentile(double p) => Latencies.Length == 0 ? 0 : Latencies[Math.Min(Latencies.Length - 1, (int)(p * Latencies.Length))] * 1e6 / Stopwatch.Frequency;
    }

    public static Result Run(string scenario, bool tcp, int threads, int queries, DnsBenchmarkOptions options, (string Name, ushort Type)[] names)
    {
        var perThread = Math.Max(1, queries / threads);
        var latencies = new long[threads][];
        var answered = new int[threads];
        var timedOut = new int[threads];
        var notNoError = new int[threads];
        var reconnects = new int[threads];
        var server = new IPEndPoint(options.Server, 53);
        var templates = names.Select(n => DnsTestZone.Query(n.Name, n.Type)).ToArray();
        var deadline = Stopwatch.GetTimestamp() + (long)(options.RunLimit.TotalSeconds * Stopwatch.Frequency);
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => NetworkNamespaceScope.RunAsync(options.ClientNamespace, () =>
        {
            var samples = latencies[t] = new long[perThread];
            Socket Connect()
            {
                var s = tcp ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
                    : new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.ReceiveTimeout = (int)options.QueryTimeout.TotalMilliseconds;
                s.Connect(server);
                return s;
            }
            var socket = Connect();
            var receive = new byte[4096];
            var send = new byte[512];
            var id = (ushort)(t * 10_007);
            var n = 0;
            try
            {
                for (var q = 0; n < perThread && Stopwatch.GetTimestamp() < deadline && timedOut[t] < 100 && reconnects[t] < 10_000; q++)
                {
                    var template = templates[(q + t) % templates.Length];
                    id++;
                    var length = WriteQuery(send, template, id, tcp);
                    var start = Stopwatch.GetTimestamp();
                    int rcode;
                    try
                    {
                        socket.Send(send.AsSpan(0, length));
                        rcode = tcp ? ReceiveTcp(socket, receive, id) : ReceiveUdp(socket, receive, id, start, options.QueryTimeout);
                    }
                    catch (SocketException) when (tcp)
                    {
                        rcode = Closed; // peer reset the connection before our query went out
                    }
                    if (rcode == Closed)
                    {
                        // dnsmasq closes a TCP connection after 100 queries (TCP_MAX_QUERIES): reconnect
                        // outside the timed part and ask again.
                        socket.Dispose();
                        socket = Connect();
                        reconnects[t]++;
                        continue;
                    }
                    if (rcode < 0)
                    {
                        timedOut[t]++;
                        if (tcp) { socket.Dispose(); socket = Connect(); } // the stream is out of step
                        continue;
                    }
                    samples[n++] = Stopwatch.GetTimestamp() - start;
                    if (rcode != 0) notNoError[t]++;
                }
            }
            finally
            {
                socket.Dispose();
            }
            answered[t] = n;
            return n;
        })).ToArray();
        Task.WaitAll(workers);
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany((l, t) => l.Take(answered[t])).Order().ToArray();
        return new Result(scenario, tcp ? "tcp" : "udp", threads, answered.Sum(), timedOut.Sum(), notNoError.Sum(), answered.Sum() / elapsed, all);
    }

    private static int WriteQuery(byte[] buffer, byte[] template, ushort id, bool tcp)
    {
        var at = 0;
        if (tcp)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)template.Length);
            at = 2;
        }
        template.CopyTo(buffer, at);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(at), id);
        return at + template.Length;
    }

    /// <summary>The answer's RCODE, or -1 on timeout. Late answers to earlier (timed-out) queries are skipped.</summary>
    private static int ReceiveUdp(Socket socket, byte[] buffer, ushort id, long start, TimeSpan timeout)
    {
        var limit = start + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < limit)
        {
            int n;
            try { n = socket.Receive(buffer); }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.ConnectionRefused) { return -1; }
            if (n >= 12 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id && (buffer[2] & 0x80) != 0) return buffer[3] & 0x0F;
        }
        return -1;
    }

    private static int ReceiveTcp(Socket socket, byte[] buffer, ushort id)
    {
        try
        {
            if (!ReadExactly(socket, buffer.AsSpan(0, 2))) return Closed;
            var length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
            if (length < 12 || length > buffer.Length) return -1;
            if (!ReadExactly(socket, buffer.AsSpan(0, length))) return Closed;
            return BinaryPrimitives.ReadUInt16BigEndian(buffer) == id ? buffer[3] & 0x0F : -1;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset) { return Closed; }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut) { return -1; }
    }

    private static bool ReadExactly(Socket socket, Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            var n = socket.Receive(destination);
            if (n == 0) return false;
            destination = destination[n..];
        }
        return true;
    }
}

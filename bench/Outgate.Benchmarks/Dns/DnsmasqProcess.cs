using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Netlink;

namespace Outgate.Benchmarks.Dns;

/// <summary>
/// dnsmasq in the server namespace, from a config file of ours only (<c>-C</c>: never
/// /etc/dnsmasq.conf), in the foreground (<c>-k</c>), no pid file, no upstream servers, no
/// /etc/hosts, listening on the server address alone. <c>ip netns exec</c> execs dnsmasq, so the
/// process we start is dnsmasq itself and is stopped by that PID.
/// </summary>
internal sealed class DnsmasqProcess : IDisposable
{
    private readonly Process _process;

    public long StartedAt { get; }
    public int Pid => _process.Id;

    private DnsmasqProcess(Process process, long startedAt)
    {
        _process = process;
        StartedAt = startedAt;
    }

    public static DnsmasqProcess Start(string serverNamespace, IPAddress listen, string configFile)
    {
        var psi = new ProcessStartInfo("ip", ["netns", "exec", serverNamespace, "dnsmasq", "-k", "-C", configFile, "--pid-file",
            "--no-resolv", "--no-hosts", "--no-poll", "--user=root", "--bind-interfaces", $"--listen-address={listen}", "--port=53"])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start `ip netns exec ... dnsmasq`; is dnsmasq installed (apt install dnsmasq-base)?");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && !line.Contains("started, version", StringComparison.Ordinal)) Console.Error.WriteLine("dnsmasq: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new DnsmasqProcess(process, startedAt);
    }

    /// <summary>
    /// Polls from the client namespace (every 2 ms, 20 ms per try) until dnsmasq answers
    /// <paramref name="name"/> with NOERROR and at least one answer, i.e. until it has loaded
    /// what it was given. Returns the time since the process was started, or null after <paramref name="limit"/>.
    /// </summary>
    public TimeSpan? WaitForAnswer(string clientNamespace, IPAddress server, string name, TimeSpan limit) =>
        NetworkNamespaceScope.Run(clientNamespace, () =>
        {
            var query = DnsTestZone.Query(name, DnsTestZone.A);
            var buffer = new byte[4096];
            var end = StartedAt + (long)(limit.TotalSeconds * Stopwatch.Frequency);
            for (ushort id = 1; Stopwatch.GetTimestamp() < end && !_process.HasExited; id++)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 20 };
                BinaryPrimitives.WriteUInt16BigEndian(query, id);
                try
                {
                    socket.SendTo(query, new IPEndPoint(server, 53));
                    var n = socket.Receive(buffer);
                    if (n >= 12 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id && (buffer[3] & 0x0F) == 0 && BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(6)) > 0)
                        return TimeSpan.FromSeconds((double)(Stopwatch.GetTimestamp() - StartedAt) / Stopwatch.Frequency);
                }
                catch (SocketException) { }
                Thread.Sleep(2);
            }
            return (TimeSpan?)null;
        });

    /// <summary>Resident set size from /proc/PID/status, bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)])) kill?.WaitForExit();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        _process.WaitForExit();
        _process.Dispose();
    }
}

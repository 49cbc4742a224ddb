using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Sinks;

/// <summary>
/// A private rsyslogd (Debian's rsyslog, see scripts/deps.sh): its own config, pid file and work directory in a temp
/// directory, in the foreground (-n), listening on 127.0.0.1 UDP and TCP on free ports and writing every message it
/// parsed to <see cref="LogFile"/> as <c>INPUT &lt;PRI&gt;1 TIMESTAMP HOST APP PROCID MSGID SD MSG</c> (INPUT is imudp or
/// imtcp), i.e. rsyslog's own re-rendering of the RFC 5424 fields it understood. Killed by PID on dispose. It loads no
/// imuxsock/imklog, so it never touches the host's /dev/log or kernel log.
/// </summary>
internal sealed class RsyslogCollector : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/rsyslogd";

    private readonly Process _process;

    private RsyslogCollector(string dir, int udpPort, int tcpPort, Process process)
    {
        Directory = dir;
        UdpPort = udpPort;
        TcpPort = tcpPort;
        _process = process;
    }

    public string Directory { get; }
    public int UdpPort { get; }
    public int TcpPort { get; }
    public string LogFile => Path.Combine(Directory, "messages.log");

    public static void SkipUnlessInstalled() =>
        Assert.SkipUnless(File.Exists(Binary), $"{Binary} not found: install rsyslog with scripts/deps.sh (it does not start the host's rsyslog)");

    public static async Task<RsyslogCollector> StartAsync()
    {
        SkipUnlessInstalled();
        var dir = System.IO.Directory.CreateTempSubdirectory("og-rsyslog-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "work"));
        var (udp, tcp) = (FreeUdpPort(), FreeTcpPort());
        var config = Path.Combine(dir, "rsyslog.conf");
        await File.WriteAllTextAsync(config, $$"""
            global(workDirectory="{{dir}}/work" maxMessageSize="64k")
            module(load="imudp")
            module(load="imtcp")
            input(type="imudp" address="127.0.0.1" port="{{udp}}")
            input(type="imtcp" address="127.0.0.1" port="{{tcp}}")
            template(name="parsed" type="string" string="%inputname% <%PRI%>1 %TIMESTAMP:::date-rfc3339% %HOSTNAME% %APP-NAME% %PROCID% %MSGID% %STRUCTURED-DATA% %msg%\n")
            *.* action(type="omfile" file="{{dir}}/messages.log" template="parsed")
            """);
        var psi = new ProcessStartInfo(Binary, ["-n", "-f", config, "-i", Path.Combine(dir, "rsyslogd.pid")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var collector = new RsyslogCollector(dir, udp, tcp, process);
        try
        {
            for (var i = 0; i < 100; i++)
            {
                if (process.HasExited)
                {
                    lock (output) Assert.Fail($"rsyslogd exited at start with {process.ExitCode}: {output}");
                }
                var listening = (await Shell.RunAsync("ss", ["-Hlnu", $"sport = :{udp}"])).StdOut.Contains("127.0.0.1", StringComparison.Ordinal)
                    && (await Shell.RunAsync("ss", ["-Hlnt", $"sport = :{tcp}"])).StdOut.Contains("127.0.0.1", StringComparison.Ordinal);
                if (listening) return collector;
                await Task.Delay(50);
            }
            throw new TimeoutException("rsyslogd did not listen on its ports within 5 s");
        }
        catch
        {
            await collector.DisposeAsync();
            throw;
        }
    }

    /// <summary>The lines written so far from <paramref name="input"/> ("imudp" or "imtcp").</summary>
    public string[] Lines(string input) =>
        File.Exists(LogFile) ? [.. File.ReadAllLines(LogFile).Where(l => l.StartsWith(input + " ", StringComparison.Ordinal)).Select(l => l[(input.Length + 1)..])] : [];

    private static int FreeTcpPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        _process.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}

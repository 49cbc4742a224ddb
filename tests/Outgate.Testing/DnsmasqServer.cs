using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Outgate.Testing;

/// <summary>
/// A real dnsmasq (Debian's dnsmasq-base) serving a test zone inside a network namespace:
/// authoritative for the given local domain only (no upstream, no /etc/hosts, no
/// /etc/dnsmasq.conf), bound to one address, logging every query to stderr, which is captured
/// so <see cref="LogTail"/> can go into failure messages. Extra hosts files live in
/// <see cref="HostsDirectory"/> (world-readable: dnsmasq drops to nobody before reading them) and
/// are re-read on <see cref="ReloadAsync"/> (SIGHUP). Disposing kills it by PID.
/// </summary>
/// <remarks>
/// Measured with dnsmasq 2.90 and <c>--local-ttl=1</c>: A and AAAA answers from --host-record,
/// CNAMEs from --cname and records from hosts files all carry TTL 1.
/// </remarks>
public sealed partial class DnsmasqServer : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly Process _process;

    private DnsmasqServer(Process process, string listenAddress, string hostsDirectory)
    {
        _process = process;
        ListenAddress = listenAddress;
        HostsDirectory = hostsDirectory;
    }

    public string ListenAddress { get; }

    /// <summary>Directory of the hosts files given to <see cref="StartAsync"/> (0755, files 0644).</summary>
    public string HostsDirectory { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything dnsmasq logged so far (queries and answers, with --log-queries).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Log"/>.</summary>
    public string LogTail(int lines = 30)
    {
        var all = Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public static bool IsInstalled => File.Exists("/usr/sbin/dnsmasq");

    /// <summary>
    /// Starts dnsmasq in <paramref name="ns"/> on <paramref name="listenAddress"/>:53 (UDP and TCP),
    /// authoritative for <paramref name="localDomain"/> (unknown names get NXDOMAIN at once).
    /// <paramref name="hostsFiles"/> maps a file name to its content (hosts format); each becomes an
    /// --addn-hosts file. <paramref name="options"/> are passed as they are (e.g. --host-record=..., --cname=...).
    /// Returns once dnsmasq answers a query over UDP.
    /// </summary>
    public static async Task<DnsmasqServer> StartAsync(NetworkNamespace ns, string listenAddress, string localDomain,
        IReadOnlyDictionary<string, string> hostsFiles, IEnumerable<string> options)
    {
        if (!IsInstalled)
            throw new InvalidOperationException("dnsmasq is not installed at /usr/sbin/dnsmasq: run scripts/deps.sh (Debian package dnsmasq-base)");
        var dir = Directory.CreateTempSubdirectory("og-dns-").FullName;
        Chmod(dir, 0x1ED); // 0755: dnsmasq reads hosts files as nobody
        var args = new List<string>
        {
            "netns", "exec", ns.Name, "/usr/sbin/dnsmasq",
            "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--keep-in-foreground", "--bind-interfaces",
            $"--listen-address={listenAddress}", "--port=53", "--local-ttl=1", "--pid-file=",
            $"--local=/{localDomain}/", "--log-queries=extra", "--log-facility=-",
        };
        foreach (var (file, content) in hostsFiles)
        {
            var path = Path.Combine(dir, file);
            await File.WriteAllTextAsync(path, content);
            Chmod(path, 0x1A4); // 0644
            args.Add($"--addn-hosts={path}");
        }
        args.AddRange(options);

        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // `ip netns exec` execs dnsmasq in place: the PID we hold is dnsmasq's own.
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dnsmasq");
        var server = new DnsmasqServer(process, listenAddress, dir);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Ready when it answers: a bounded poll (50 x 100 ms) with a one-packet query for the zone's SOA-less apex.
        for (var i = 0; i < 50; i++)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                var log = server.Log;
                await server.DisposeAsync();
                throw new InvalidOperationException($"dnsmasq exited with {process.ExitCode} at start in {ns.Name} ({string.Join(' ', args.Skip(3))}):\n{log}");
            }
            var probe = await ns.ExecAsync("python3", "-c", ProbeScript, listenAddress, localDomain);
            if (probe.ExitCode == 0) return server;
            await Task.Delay(100);
        }
        var tail = server.LogTail();
        await server.DisposeAsync();
        throw new TimeoutException($"dnsmasq in {ns.Name} did not answer on {listenAddress}:53 within 5 s:\n{tail}");
    }

    /// <summary>Rewrites the hosts file <paramref name="file"/> and sends SIGHUP so dnsmasq re-reads it (and clears its cache).</summary>
    public async Task ReplaceHostsFileAsync(string file, string content)
    {
        var path = Path.Combine(HostsDirectory, file);
        var temp = path + ".new";
        await File.WriteAllTextAsync(temp, content);
        Chmod(temp, 0x1A4);
        File.Move(temp, path, overwrite: true);
        await ReloadAsync();
    }

    /// <summary>SIGHUP: dnsmasq re-reads --addn-hosts files and clears its cache; it logs "read PATH".</summary>
    public async Task ReloadAsync()
    {
        var before = Log.Length;
        if (kill(Pid, 1) != 0) throw new InvalidOperationException($"kill({Pid}, SIGHUP) failed: errno {Marshal.GetLastPInvokeError()}");
        for (var i = 0; i < 50 && !Log[before..].Contains("read ", StringComparison.Ordinal); i++) await Task.Delay(50);
        if (!Log[before..].Contains("read ", StringComparison.Ordinal))
            throw new TimeoutException($"dnsmasq (pid {Pid}) did not log re-reading its hosts files within 2.5 s of SIGHUP:\n{LogTail()}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException) { }
        catch (OperationCanceledException) { }
        _process.Dispose();
        try { Directory.Delete(HostsDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void Chmod(string path, int mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    // Any answer (NXDOMAIN included) proves dnsmasq is up; exit 1 on timeout.
    private const string ProbeScript = """
        import socket, struct, sys
        q = struct.pack('>HHHHHH', 7, 0x0100, 1, 0, 0, 0) + bytes([5]) + b'ready' + bytes([len(sys.argv[2])]) + sys.argv[2].encode() + b'\0' + struct.pack('>HH', 1, 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.3)
        try:
            s.sendto(q, (sys.argv[1], 53)); s.recv(512)
        except OSError:
            sys.exit(1)
        """;
}

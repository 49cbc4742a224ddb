using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Outgate.Benchmarks.Dns;

/// <summary>
/// Scenario (c): the real outgated serving the client namespace with DNS tracking on
/// (<c>--netns NS --dns-queue N</c>), policy "allow outgoing" so only the tracking differs from
/// (a). Started from a temp config, stopped by its PID (SIGTERM, then kill after 15 s).
/// </summary>
internal sealed class OutgatedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _root;

    public string SocketPath { get; }
    public int Pid => _process.Id;

    private OutgatedProcess(Process process, string root, string socket)
    {
        _process = process;
        _root = root;
        SocketPath = socket;
    }

    /// <summary>Null when this outgated has no <c>--dns-queue</c> option yet (asked through <c>--help</c>).</summary>
    public static async Task<string?> MissingDnsQueueOptionAsync(string dll)
    {
        using var help = Process.Start(new ProcessStartInfo("dotnet", [dll, "--help"]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not run `dotnet {dll} --help`");
        var text = await help.StandardOutput.ReadToEndAsync() + await help.StandardError.ReadToEndAsync();
        if (!help.WaitForExit(30_000)) help.Kill();
        return text.Contains("--dns-queue", StringComparison.Ordinal) ? null : "outgated --help lists no --dns-queue option (DNS interception not integrated in this build)";
    }

    public static async Task<OutgatedProcess> StartAsync(string dll, string clientNamespace, ushort dnsQueue)
    {
        var root = Directory.CreateTempSubdirectory("og-bench-dns-daemon-").FullName;
        var config = Directory.CreateDirectory(Path.Combine(root, "etc")).FullName;
        var state = Directory.CreateDirectory(Path.Combine(root, "state")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "outgate.toml"), """
            [defaults]
            outgoing = "allow"
            """);
        var socket = Path.Combine(root, "sock");
        var psi = new ProcessStartInfo("dotnet", [dll, "--netns", clientNamespace, "--dns-queue", dnsQueue.ToString(CultureInfo.InvariantCulture),
            "--config-dir", config, "--state-dir", state, "--socket", socket, "--mode", "enforce"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment.Remove("NOTIFY_SOCKET");
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start `dotnet {dll}`");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine("outgated: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var daemon = new OutgatedProcess(process, root, socket);
        for (var i = 0; i < 300 && !process.HasExited; i++)
        {
            if (await daemon.StatusAsync() is not null) return daemon;
            await Task.Delay(100);
        }
        await daemon.DisposeAsync();
        throw new TimeoutException($"outgated did not answer on {socket} within 30 s (exit code {(process.HasExited ? process.ExitCode : "none, still running")})");
    }

    /// <summary>GET /v1/status as JSON text, or null when the API does not answer.</summary>
    public async Task<string?> StatusAsync()
    {
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), ct);
                    return new NetworkStream(s, ownsSocket: true);
                },
            }) { BaseAddress = new Uri("http://outgated/"), Timeout = TimeSpan.FromSeconds(2) };
            return await http.GetStringAsync("v1/status");
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
        {
            return null;
        }
    }

    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)])) term?.WaitForExit();
            if (!_process.WaitForExit(15_000)) _process.Kill();
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Outgate.Testing;

/// <summary>
/// A real <c>outgated</c> process (the outgated.dll built next to the test assembly) with its own
/// temporary --socket, --state-dir and --config-dir under /tmp/og-d-*, started like an admin would
/// and ready once <c>GET /v1/status</c> answers. Disposing kills it by PID (if still running) and
/// removes the directory.
/// </summary>
public sealed partial class OutgateDaemon : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private OutgateDaemon(string root, Process process)
    {
        Root = root;
        Process = process;
        _http = CreateClient(SocketPath);
    }

    /// <summary>The temporary directory holding the socket, state and config (mode 0755 so other users can reach the socket).</summary>
    public string Root { get; }

    public string SocketPath => Path.Combine(Root, "outgate.sock");
    public string StateDir => Path.Combine(Root, "state");
    public string ConfigDir => Path.Combine(Root, "config");
    public string EventDatabase => Path.Combine(StateDir, "events.db");

    public Process Process { get; }

    public int Pid => Process.Id;

    /// <summary>Everything the daemon wrote to stdout and stderr so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string DllPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "outgated.dll");
            if (!File.Exists(path)) throw new FileNotFoundException("outgated.dll is not next to the test assembly: does the test project reference src/Outgate.Daemon?", path);
            return path;
        }
    }

    /// <summary>The arguments pointing a daemon at <paramref name="root"/>'s socket and directories.</summary>
    public static string[] PathArguments(string root) =>
        ["--socket", Path.Combine(root, "outgate.sock"), "--state-dir", Path.Combine(root, "state"), "--config-dir", Path.Combine(root, "config")];

    /// <summary>A fresh temporary root directory (0755).</summary>
    public static string CreateRoot()
    {
        var root = Path.Combine("/tmp", $"og-d-{Environment.ProcessId}-{Random.Shared.Next(0x10000, 0xFFFFF):x}");
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0x1ED); // 0755
        return root;
    }

    /// <summary>Starts a daemon and waits until it answers; <paramref name="root"/> reuses a directory (e.g. for restarts).</summary>
    public static async Task<OutgateDaemon> StartAsync(IEnumerable<string>? extraArgs = null, string? root = null, TimeSpan? timeout = null)
    {
        root ??= CreateRoot();
        // OUTGATE_TEST_DAEMON=PATH runs a native outgated instead (the NativeAOT build scripts/install.sh ships).
        var native = Environment.GetEnvironmentVariable("OUTGATE_TEST_DAEMON") is { Length: > 0 } n ? n : null;
        var psi = new ProcessStartInfo(native ?? OutgateCli.DotnetPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (native is null) psi.ArgumentList.Add(DllPath);
        foreach (var a in PathArguments(root)) psi.ArgumentList.Add(a);
        var extra = (extraArgs ?? []).ToList();
        // A daemon serving the host's own namespace must never install queue rules there (tests
        // only enforce inside namespaces they created).
        if (!extra.Contains("--netns")) extra.Add("--no-kernel");
        // Daemons run side by side in the host namespace: each dashboard on its own free port, never the fixed 9474.
        if (!extra.Any(a => a == "--web" || a.StartsWith("--web=", StringComparison.Ordinal))) extra.AddRange(["--web", "127.0.0.1:0"]);
        foreach (var a in extra) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment.Remove("OUTGATE_SOCKET");
        psi.Environment.Remove("NOTIFY_SOCKET");
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start outgated");
        var daemon = new OutgateDaemon(root, process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (daemon._output) daemon._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (daemon._output) daemon._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                var output = daemon.Output;
                await daemon.DisposeAsync();
                throw new InvalidOperationException($"outgated exited with {process.ExitCode} before answering:\n{output}");
            }
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var response = await daemon._http.GetAsync("v1/status", cts.Token);
                if (response.IsSuccessStatusCode) return daemon;
            }
            catch (HttpRequestException) { }
            catch (OperationCanceledException) { }
            if (DateTime.UtcNow > deadline)
            {
                var output = daemon.Output;
                await daemon.DisposeAsync();
                throw new TimeoutException($"outgated did not answer on {daemon.SocketPath} in time:\n{output}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>An HttpClient that talks HTTP over the unix socket at <paramref name="socketPath"/>.</summary>
    public static HttpClient CreateClient(string socketPath) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try { await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct); return new NetworkStream(socket, ownsSocket: true); }
            catch { socket.Dispose(); throw; }
        },
    })
    { BaseAddress = new Uri("http://outgated/") };

    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken ct = default) => _http.GetAsync(path, ct);

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, CancellationToken ct = default) =>
        _http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), ct);

    public async Task<string> GetStringAsync(string path, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync(path, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>`outgate ARGS --socket SOCKET` through <see cref="OutgateCli"/>.</summary>
    public Task<ShellResult> CliAsync(params string[] args) => OutgateCli.RunAsync(null, [.. args, "--socket", SocketPath]);

    /// <summary>Sends <paramref name="signal"/> (default SIGTERM) and waits for the exit code.</summary>
    public async Task<int> StopAsync(int signal = 15, TimeSpan? timeout = null)
    {
        if (!Process.HasExited && kill(Pid, signal) != 0)
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        await Process.WaitForExitAsync(cts.Token);
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            if (!Process.HasExited) Process.Kill();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException) { }
        catch (OperationCanceledException) { }
        Process.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}

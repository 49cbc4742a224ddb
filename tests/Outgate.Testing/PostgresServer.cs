using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Outgate.Testing;

/// <summary>
/// A private PostgreSQL 15 (Debian's postgresql-15 binaries, never the system cluster) in /tmp/og-pg-*: initdb as the
/// <c>postgres</c> OS user (initdb refuses root), listening on 127.0.0.1 at a free port with its unix socket in the temp
/// directory, trust authentication for the superuser <c>outgate</c>. <see cref="KillAsync"/> kills the postmaster and
/// its children by PID (a crash, recovered at the next start); <see cref="StartAsync()"/> starts it again on the same
/// data and port. Disposing stops it by PID and removes the directory.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    public const string User = "outgate";

    private readonly StringBuilder _log = new();
    private Process? _postmaster;

    private PostgresServer(string root, int port)
    {
        Root = root;
        Port = port;
    }

    /// <summary>The temporary directory: data/ and the socket.</summary>
    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public int Port { get; }

    /// <summary>Npgsql connection string over TCP loopback (what the daemons use: they run in the host namespace).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={User};Database=postgres;Pooling=true";

    public int? Pid => _postmaster is { HasExited: false } p ? p.Id : null;

    /// <summary>What the server logged (stderr), for failure messages.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Skips the calling test when the PostgreSQL 15 server binaries or the postgres user are missing.</summary>
    public static void SkipUnlessAvailable()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")) || !File.Exists(Path.Combine(BinDirectory, "postgres")))
            Assert.Skip($"needs PostgreSQL 15 server binaries in {BinDirectory} (apt-get install postgresql-15, or scripts/deps.sh)");
        if (NetworkNamespace.IsRoot && !UserExists("postgres"))
            Assert.Skip("needs the postgres OS user to run initdb as (it comes with the postgresql package)");
    }

    /// <summary>initdb in a new temp directory and start; <paramref name="settings"/> are extra <c>-c name=value</c>.</summary>
    public static async Task<PostgresServer> StartNewAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        SkipUnlessAvailable();
        var root = Path.Combine("/tmp", $"og-pg-{Environment.ProcessId}-{Random.Shared.Next(0x10000, 0xFFFFF):x}");
        Directory.CreateDirectory(root);
        var server = new PostgresServer(root, FreePort()) { Settings = settings ?? new Dictionary<string, string>() };
        try
        {
            if (NetworkNamespace.IsRoot) await Shell.RunCheckedAsync("chown", ["postgres:postgres", root]);
            var initdb = Path.Combine(BinDirectory, "initdb");
            var (file, prefix) = AsPostgres(initdb);
            string[] initArgs = ["-D", server.DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"];
            var init = await Shell.RunAsync(file, prefix.Length == 0 ? initArgs : [.. prefix, initdb, .. initArgs], timeout: TimeSpan.FromSeconds(120));
            if (init.ExitCode != 0) throw new InvalidOperationException($"initdb failed ({init.ExitCode}): {init.StdErr}{init.StdOut}");
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public IReadOnlyDictionary<string, string> Settings { get; private init; } = new Dictionary<string, string>();

    /// <summary>Starts the postmaster (again) and waits until it accepts connections.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (Pid is not null) throw new InvalidOperationException($"PostgreSQL is already running as PID {Pid}");
        var postgres = Path.Combine(BinDirectory, "postgres");
        var (file, prefix) = AsPostgres(postgres);
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in prefix) psi.ArgumentList.Add(a);
        if (prefix.Length > 0) psi.ArgumentList.Add(postgres);
        foreach (var a in (string[])["-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-k", Root, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100", "-c", "log_min_messages=warning"])
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in Settings) { psi.ArgumentList.Add("-c"); psi.ArgumentList.Add($"{k}={v}"); }
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start postgres");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_log) _log.AppendLine(e.Data);
            if (e.Data.Contains("ready to accept connections", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _postmaster = process;
        var done = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(timeout ?? TimeSpan.FromSeconds(60)));
        if (done != ready.Task)
            throw new InvalidOperationException($"PostgreSQL did not become ready (exited: {process.HasExited}):\n{Log}");
        // "ready" is logged by the postmaster before the socket accepts: make sure TCP answers too.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) { await Task.Delay(50); }
        }
    }

    /// <summary>SIGKILLs the postmaster and every process it started, by PID: a crash, not a shutdown.</summary>
    public async Task KillAsync()
    {
        if (_postmaster is not { HasExited: false } p) return;
        var children = ChildrenOf(p.Id);
        kill(p.Id, 9);
        foreach (var child in children) kill(child, 9);
        await p.WaitForExitAsync();
        // Backends notice their postmaster's death on their own; wait until the ones we saw are gone.
        for (var i = 0; i < 100 && children.Any(c => Directory.Exists($"/proc/{c}")); i++) await Task.Delay(50);
        _postmaster = null;
    }

    /// <summary>Fast shutdown (SIGINT) by PID, SIGKILL after 20 s.</summary>
    public async Task StopAsync()
    {
        if (_postmaster is not { HasExited: false } p) { _postmaster = null; return; }
        kill(p.Id, 2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { await KillAsync(); }
        _postmaster = null;
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        catch (InvalidOperationException) { }
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static (string File, string[] Prefix) AsPostgres(string file) =>
        NetworkNamespace.IsRoot ? ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"]) : (file, []);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool UserExists(string name) => File.ReadLines("/etc/passwd").Any(l => l.StartsWith(name + ":", StringComparison.Ordinal));

    /// <summary>PIDs whose parent is <paramref name="pid"/> (from /proc/PID/stat field 4).</summary>
    private static List<int> ChildrenOf(int pid)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid) result.Add(candidate);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return result;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

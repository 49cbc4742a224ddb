using System.Diagnostics;
using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Decisions;

/// <summary>
/// A <see cref="ReachabilityLab"/> (client and server namespaces, echo services on the server) with
/// the CLI and a real outgated serving the client namespace (<c>--netns</c>), sharing one config and
/// state directory as on a real host. Programs connect from the client namespace with
/// <see cref="ConnectAsync"/>: python3 or bash (two different executables), optionally as another
/// user. Everything is torn down on dispose (daemon killed by PID, namespaces deleted).
/// </summary>
internal sealed class DecisionLab : IAsyncDisposable
{
    /// <summary>The interpreter's real path, as /proc/PID/exe shows it (e.g. /usr/bin/python3.11).</summary>
    public static readonly string Python = RealPath("/usr/bin/python3");
    public static readonly string Bash = RealPath("/bin/bash");

    private static string RealPath(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("readlink", ["-f", path]) { RedirectStandardOutput = true })!;
        var real = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return real.Length > 0 ? real : path;
    }

    private DecisionLab(ReachabilityLab lab)
    {
        Lab = lab;
        Cli = new OutgateCli(lab.Client);
    }

    public ReachabilityLab Lab { get; }
    public OutgateCli Cli { get; }
    public OutgateDaemon? Daemon { get; private set; }
    public string SocketPath => Path.Combine(Cli.Root, "outgate.sock");

    public static async Task<DecisionLab> CreateAsync(string tag)
    {
        NetworkNamespace.SkipUnlessRoot();
        return new DecisionLab(await ReachabilityLab.CreateAsync(tag));
    }

    /// <summary>Starts outgated for the client namespace with the CLI's config and state directories.</summary>
    public async Task<OutgateDaemon> StartDaemonAsync(params string[] extra)
    {
        await AllowShellClientsAsync();
        Daemon = await OutgateDaemon.StartAsync(
            ["--netns", Lab.Client.Name, "--config-dir", Cli.ConfigDir, "--state-dir", Cli.StateDir, "--socket", SocketPath, "--queues", "2", .. extra],
            root: Cli.Root);
        var status = await Daemon.GetStringAsync("v1/status");
        Assert.False(status.Contains("\"queue\":\"none\"", StringComparison.Ordinal), $"the daemon answers before its queue is installed: {status}");
        return Daemon;
    }

    /// <summary>False for labs that test the connect-back guard itself (tests/Outgate.EndToEnd.Tests/Alerts).</summary>
    public bool ShellClientsAllowed { get; set; } = true;

    /// <summary>
    /// The labs use bash as an ordinary second client program; the connect-back guard would refuse it in enforce mode
    /// under port rules (tests/Outgate.EndToEnd.Tests/Alerts prove that guard), so lab policies switch the blocking off.
    /// </summary>
    private async Task AllowShellClientsAsync()
    {
        if (!ShellClientsAllowed) return;
        var path = Path.Combine(Cli.ConfigDir, "outgate.toml");
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        if (existing.Contains("[alerts.connect-back]", StringComparison.Ordinal)) return;
        Directory.CreateDirectory(Cli.ConfigDir);
        await File.WriteAllTextAsync(path, existing + "\n[alerts.connect-back]\nblock = false\n");
    }

    /// <summary>`outgate ARGS` in the client namespace, talking to this lab's daemon.</summary>
    public Task<ShellResult> CliAsync(params string[] args) => Cli.RunArgsAsync([.. args, "--socket", SocketPath]);

    public async Task<string> CliOkAsync(params string[] args)
    {
        var r = await Cli.RunArgsAsync(args);
        Assert.True(r.ExitCode == 0, $"outgate {string.Join(' ', args)} failed: {r}");
        return r.StdOut;
    }

    /// <summary>
    /// Connects from the client namespace to the server's TCP <paramref name="port"/> with
    /// <paramref name="program"/> (<see cref="Python"/> or <see cref="Bash"/>), sends a line and
    /// expects the echo. True when that worked within <paramref name="timeoutSeconds"/>.
    /// </summary>
    public async Task<bool> ConnectAsync(string program, int port, uint? asUid = null, double timeoutSeconds = 3, string? host = null)
    {
        host ??= Lab.ServerV4;
        string[] command = program == Bash
            ? [Bash, "-c", $"exec 3<>/dev/tcp/{host}/{port} && echo ping >&3 && read -t {timeoutSeconds} line <&3 && [ \"$line\" = ping ] && echo open"]
            : [Python, "-c", $"import socket; s = socket.create_connection(('{host}', {port}), timeout={timeoutSeconds}); s.sendall(b'ping'); s.settimeout({timeoutSeconds}); print('open' if s.recv(16) == b'ping' else 'bad')"];
        var args = new List<string> { "netns", "exec", Lab.Client.Name };
        if (asUid is { } uid) args.AddRange(["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups"]);
        args.AddRange(["timeout", (timeoutSeconds + 2).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        args.AddRange(command);
        var r = await Shell.RunAsync("ip", args, timeout: TimeSpan.FromSeconds(timeoutSeconds + 10));
        return r.StdOut.Trim() == "open";
    }

    /// <summary>Starts a connect in the background (for prompts: it waits for the answer).</summary>
    public Task<bool> ConnectInBackground(string program, int port, double timeoutSeconds) =>
        Task.Run(() => ConnectAsync(program, port, timeoutSeconds: timeoutSeconds));

    /// <summary>Events from the daemon's API, newest last.</summary>
    public async Task<JsonArray> EventsAsync(string? type = null)
    {
        var json = await Daemon!.GetStringAsync("v1/events?limit=10000" + (type is null ? "" : "&type=" + type));
        return JsonNode.Parse(json)!["events"]!.AsArray();
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms for up to <paramref name="seconds"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, double seconds = 5)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }

    public async ValueTask DisposeAsync()
    {
        if (Daemon is not null) await Daemon.DisposeAsync();
        Cli.Dispose();
        await Lab.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Outgate.EndToEnd.Tests.Decisions;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Alerts;

/// <summary>
/// A <see cref="DecisionLab"/> (client namespace served by a real outgated, server namespace with echo listeners on
/// tcp 22/53/80/443/8080 and udp 53/123) plus what the detector tests need: a quiet TCP listener on 4444 in the server
/// namespace (it holds each connection open and sends nothing, so a connect-back shell sits waiting), programs run in
/// the client namespace with a hard timeout, and the alerts read with <c>outgate log --type alert --json</c>.
/// All traffic stays between the two namespaces.
/// </summary>
internal sealed class AlertLab : IAsyncDisposable
{
    public const int ShellPort = 4444;

    private const string QuietListener = """
        import socket, sys, threading, time
        port = int(sys.argv[1])
        l = socket.socket(socket.AF_INET, socket.SOCK_STREAM); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        l.bind(("0.0.0.0", port)); l.listen(16)
        print("ready", flush=True)
        def hold(c):
            time.sleep(8)
            c.close()
        deadline = time.time() + 120
        l.settimeout(1)
        while time.time() < deadline:
            try:
                c, _ = l.accept()
            except socket.timeout:
                continue
            print("accepted", flush=True)
            threading.Thread(target=hold, args=(c,), daemon=True).start()
        """;

    private readonly string _dir;

    private AlertLab(DecisionLab lab, string dir)
    {
        Decisions = lab;
        _dir = dir;
    }

    public DecisionLab Decisions { get; }
    public ReachabilityLab Lab => Decisions.Lab;
    public string Peer => Lab.ServerV4;

    /// <summary>A scratch directory (scripts, copied executables), deleted on dispose.</summary>
    public string Dir => _dir;

    public static async Task<AlertLab> CreateAsync(string tag)
    {
        var lab = await DecisionLab.CreateAsync(tag);
        lab.ShellClientsAllowed = false; // these labs test the connect-back guard itself
        var dir = Directory.CreateTempSubdirectory("og-alerts-").FullName;
        var alertLab = new AlertLab(lab, dir);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "quiet.py"), QuietListener);
            var p = lab.Lab.Server.Start("python3", "-u", Path.Combine(dir, "quiet.py"), ShellPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (line != "ready") throw new InvalidOperationException($"quiet listener did not start: {line} {await p.StandardError.ReadToEndAsync()}");
            return alertLab;
        }
        catch
        {
            await alertLab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> in the client namespace under <c>timeout</c>.</summary>
    public Task<ShellResult> RunAsync(double seconds, params string[] command) =>
        Shell.RunAsync("ip", ["netns", "exec", Lab.Client.Name, "timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command],
            timeout: TimeSpan.FromSeconds(seconds + 10));

    /// <summary>Alerts from <c>outgate log --type alert --json</c>.</summary>
    public async Task<IReadOnlyList<JsonObject>> AlertsAsync()
    {
        var r = await Decisions.CliAsync("log", "--type", "alert", "--json", "--limit", "10000");
        Assert.True(r.ExitCode == 0, $"outgate log --type alert --json failed: {r}");
        var text = r.StdOut.TrimStart();
        if (text.StartsWith('[')) return [.. JsonNode.Parse(text)!.AsArray().Select(n => n!.AsObject())];
        return [.. r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    /// <summary>Polls the alerts (every 100 ms, at most <paramref name="seconds"/>) until one matches; null when none did.</summary>
    public async Task<JsonObject?> WaitForAlertAsync(Func<JsonObject, bool> match, double seconds = 5)
    {
        JsonObject? found = null;
        var sw = Stopwatch.StartNew();
        while (found is null && sw.Elapsed.TotalSeconds < seconds)
        {
            found = (await AlertsAsync()).FirstOrDefault(match);
            if (found is null) await Task.Delay(100);
        }
        return found;
    }

    public static string? Rule(JsonObject e) => (string?)e["rule"];
    public static string Text(JsonObject e, string field) => (string?)e[field] ?? "";

    public async Task<string> DiagnoseAsync() =>
        string.Join('\n', (await AlertsAsync()).Select(a => a.ToJsonString())) + "\n" + (await Decisions.EventsAsync("decision")).ToJsonString();

    public async ValueTask DisposeAsync()
    {
        await Decisions.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

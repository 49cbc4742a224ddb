using System.Text.Json;
using System.Text.Json.Nodes;
using Outgate.EndToEnd.Tests.Decisions;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Traffic;

/// <summary>
/// Issue 7's exfiltration proof with the real daemon in namespaces: a freshly copied executable uploads 50 MB to a
/// TCP sink in the peer namespace over an allowed port; the flow meter sees the bytes in conntrack, the detector
/// raises <c>exfiltration</c>, and <c>outgate top</c> shows the program with its bytes out.
/// </summary>
public sealed class ExfiltrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const int SinkPort = 9000;
    private const long UploadBytes = 50L * 1024 * 1024;

    [Fact]
    public async Task A_50_MB_upload_from_a_new_program_over_an_allowed_port_raises_the_exfiltration_alert_and_shows_in_top()
    {
        await using var lab = await DecisionLab.CreateAsync("exf");
        var dir = Directory.CreateTempSubdirectory("og-exfil-");
        var uploader = Path.Combine(dir.FullName, "uploader");
        File.Copy(DecisionLab.Python, uploader);
        File.SetUnixFileMode(uploader, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // The sink reads and discards one connection, at most 60 s.
        var sink = lab.Lab.Server.Start("timeout", "60", DecisionLab.Python, "-c",
            $"import socket\ns = socket.create_server(('0.0.0.0', {SinkPort}))\nc, _ = s.accept()\nn = 0\nwhile True:\n    b = c.recv(1 << 16)\n    if not b: break\n    n += len(b)\nprint(n)");
        try
        {
            await lab.CliOkAsync("default", "deny", "outgoing");
            await lab.CliOkAsync("allow", "out", $"{SinkPort}/tcp");
            await lab.CliOkAsync("enable");
            await lab.StartDaemonAsync("--mode", "enforce");
            // The meter's first sweep is a baseline; upload after it so every byte counts.
            Assert.True(await DecisionLab.EventuallyAsync(async () => (await TrafficAsync(lab))["meter"]?["sweeps"]?.GetValue<long>() >= 2, 10),
                "the flow meter sweeps conntrack within 10 s of the daemon start");

            var upload = await Shell.RunAsync("ip", ["netns", "exec", lab.Lab.Client.Name, "timeout", "60", uploader, "-c", UploadScript(lab.Lab.ServerV4)],
                timeout: TimeSpan.FromSeconds(90));
            Assert.True(upload.ExitCode == 0 && upload.StdOut.Contains($"sent {UploadBytes}", StringComparison.Ordinal), $"upload failed: {upload}");

            JsonNode? alert = null;
            Assert.True(await DecisionLab.EventuallyAsync(async () =>
            {
                var log = await lab.CliAsync("log", "--type", "alert", "--json");
                alert = log.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l))
                    .FirstOrDefault(e => (string?)e!["rule"] == "exfiltration" && (string?)e["exe"] == uploader);
                return alert is not null;
            }, 15), "`outgate log --type alert --json` lists an exfiltration alert for the uploader within 15 s");
            Assert.Equal(lab.Lab.ServerV4, (string?)alert!["dst"]);
            Assert.Equal(SinkPort, (int?)alert["dstPort"]);
            Assert.Contains((string?)alert["severity"], new[] { "warning", "error" });
            var details = (string?)alert["details"] ?? "";
            Assert.Contains("first_seen_destination=yes", details, StringComparison.Ordinal);
            Assert.Contains("window=300s", details, StringComparison.Ordinal);
            Assert.Contains("threshold=5000000", details, StringComparison.Ordinal); // a new destination: the lower bar
            Assert.True((long?)alert["bytesOut"] >= 5_000_000, $"the alert carries the bytes sent: {alert.ToJsonString()}");

            // `outgate top --json`: the uploader with (nearly) all its bytes out; the meter lags by at most a sweep.
            JsonNode? app = null;
            Assert.True(await DecisionLab.EventuallyAsync(async () =>
            {
                var top = await lab.CliAsync("top", "--json");
                if (top.ExitCode != 0) return false;
                app = JsonNode.Parse(top.StdOut)!["apps"]!.AsArray().FirstOrDefault(a => (string?)a!["exe"] == uploader);
                return app?["bytesOut"]?.GetValue<long>() >= UploadBytes;
            }, 10), $"`outgate top --json` shows {uploader} with at least {UploadBytes} bytes out; last: {app?.ToJsonString()}");
            var destination = app!["topDestinations"]!.AsArray().First()!;
            Assert.Equal((lab.Lab.ServerV4, SinkPort), ((string?)destination["address"], (int?)destination["port"]));

            // Without a terminal, `outgate top` prints the table once and exits.
            var table = await lab.CliAsync("top");
            Assert.True(table.ExitCode == 0, table.ToString());
            Assert.Contains("TOTAL OUT", table.StdOut, StringComparison.Ordinal);
            var row = Assert.Single(table.StdOut.Split('\n'), l => l.StartsWith(uploader, StringComparison.Ordinal));
            Assert.Contains($"{lab.Lab.ServerV4}:{SinkPort}", row, StringComparison.Ordinal);
            Assert.Contains("MiB", row, StringComparison.Ordinal);
            if (Environment.GetEnvironmentVariable("OUTGATE_BENCH_OUT") is { Length: > 0 } file)
                await File.AppendAllTextAsync(file, $"{table.StdOut}\n{alert.ToJsonString()}\n", Ct);
        }
        finally
        {
            // The namespace kills and reaps the sink by PID on dispose.
            if (!sink.HasExited) sink.Kill(entireProcessTree: true);
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Top_says_the_daemon_is_not_running_and_exits_2()
    {
        var dir = Directory.CreateTempSubdirectory("og-top-");
        try
        {
            var socket = Path.Combine(dir.FullName, "outgate.sock");
            var r = await OutgateCli.RunAsync(null, ["top", "--socket", socket], timeout: TimeSpan.FromSeconds(60));
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"outgate top: outgated is not running (no socket at {socket})", r.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<JsonNode> TrafficAsync(DecisionLab lab) =>
        JsonNode.Parse(await lab.Daemon!.GetStringAsync("v1/traffic"))!;

    /// <summary>Connects (retrying while the sink starts, 10 s at most), sends 50 MiB, waits for the sink to close.</summary>
    private static string UploadScript(string host) => $"""
        import socket, time
        deadline = time.time() + 10
        while True:
            try:
                s = socket.create_connection(('{host}', {SinkPort}), timeout=5)
                break
            except OSError:
                if time.time() > deadline: raise
                time.sleep(0.1)
        s.settimeout(30)
        chunk = b'x' * 65536
        n = 0
        while n < {UploadBytes}:
            s.sendall(chunk)
            n += len(chunk)
        s.shutdown(socket.SHUT_WR)
        s.recv(1)
        s.close()
        print('sent', n)
        """;
}

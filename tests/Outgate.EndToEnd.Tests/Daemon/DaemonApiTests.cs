using System.Net;
using System.Text.Json;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Daemon;

public class DaemonApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Status_answers_over_the_unix_socket()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var doc = JsonDocument.Parse(await daemon.GetStringAsync("v1/status", Ct));
        var s = doc.RootElement;
        Assert.Equal("learn", s.GetProperty("mode").GetString());
        Assert.Equal(daemon.Pid, s.GetProperty("pid").GetInt32());
        Assert.Equal(daemon.SocketPath, s.GetProperty("socket").GetString());
        Assert.Equal(daemon.StateDir, s.GetProperty("stateDir").GetString());
        Assert.Equal(daemon.ConfigDir, s.GetProperty("configDir").GetString());
        Assert.Equal("host", s.GetProperty("netns").GetString());
        Assert.Equal("none", s.GetProperty("queue").GetString());
        Assert.Equal("ok", s.GetProperty("health").GetString());
        Assert.Equal(0, s.GetProperty("events").GetProperty("dropped").GetInt64());
        var memory = s.GetProperty("memory");
        Assert.InRange(memory.GetProperty("residentBytes").GetInt64(), 1_000_000, 1_000_000_000);
        Assert.True(memory.GetProperty("gcCommittedBytes").GetInt64() > 0);
        Assert.Equal(0, memory.GetProperty("liveFlows").GetInt32());
        Assert.True(File.Exists(daemon.EventDatabase));

        var cli = await daemon.CliAsync("mode");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Equal("learn", cli.StdOut.Trim());
    }

    [Fact]
    public async Task Mode_switch_is_recorded_as_an_event_and_shown_by_outgate_log_json()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        var switched = await daemon.CliAsync("mode", "enforce");
        Assert.True(switched.ExitCode == 0, switched.ToString());
        Assert.Contains("from learn to enforce", switched.StdOut);

        var again = await daemon.CliAsync("mode", "enforce");
        Assert.Contains("already enforce", again.StdOut);

        // The writer commits asynchronously; give it a moment.
        ShellResult log = null!;
        for (var i = 0; i < 50; i++)
        {
            log = await daemon.CliAsync("log", "--json", "--type", "mode-change");
            if (log.StdOut.Contains("enforce")) break;
            await Task.Delay(100, Ct);
        }
        Assert.True(log.ExitCode == 0, log.ToString());
        var line = Assert.Single(log.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var e = JsonDocument.Parse(line);
        Assert.Equal("mode-change", e.RootElement.GetProperty("type").GetString());
        Assert.Equal("enforce", e.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("mode switched from learn to enforce", e.RootElement.GetProperty("message").GetString());
        Assert.Equal(0u, e.RootElement.GetProperty("uid").GetUInt32());

        var human = await daemon.CliAsync("log");
        Assert.Contains("mode-change  mode switched from learn to enforce", human.StdOut);
        Assert.Contains("outgated 0.1.0 started", human.StdOut);
        Assert.Equal("enforce", (await daemon.CliAsync("mode")).StdOut.Trim());
    }

    [Fact]
    public async Task Bad_requests_get_400_with_what_to_send()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using (var r = await daemon.PostJsonAsync("v1/mode", """{"mode":"permissive"}""", Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains("learn, interactive, enforce, lockdown", await r.Content.ReadAsStringAsync(Ct));
        }
        using (var r = await daemon.PostJsonAsync("v1/mode", "{not json", Ct))
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        using (var r = await daemon.GetAsync("v1/events?limit=0", Ct))
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        using (var r = await daemon.GetAsync("v2/whatever", Ct))
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);

        var cli = await daemon.CliAsync("mode", "permissive");
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("unknown mode 'permissive'", cli.StdErr);
        var log = await daemon.CliAsync("log", "--type", "nope");
        Assert.Equal(1, log.ExitCode);
        Assert.Contains("unknown type 'nope'", log.StdErr);
    }

    [Fact]
    public async Task Retention_prunes_the_store_while_the_daemon_runs()
    {
        await using var daemon = await OutgateDaemon.StartAsync(["--max-events", "3", "--prune-interval", "200ms"]);
        foreach (var mode in new[] { "enforce", "learn", "lockdown", "learn", "interactive", "learn" })
            using (var r = await daemon.PostJsonAsync("v1/mode", $$"""{"mode":"{{mode}}"}""", Ct)) r.EnsureSuccessStatusCode();

        long stored = -1, pruned = 0;
        for (var i = 0; i < 50 && !(stored is >= 0 and <= 3 && pruned >= 4); i++)
        {
            await Task.Delay(100, Ct);
            using var doc = JsonDocument.Parse(await daemon.GetStringAsync("v1/status", Ct));
            var ev = doc.RootElement.GetProperty("events");
            stored = ev.GetProperty("stored").GetInt64();
            pruned = ev.GetProperty("pruned").GetInt64();
        }
        Assert.InRange(stored, 0, 3);
        Assert.True(pruned >= 4, $"pruned {pruned}");
        // The newest survive.
        var log = await daemon.CliAsync("log", "--json");
        Assert.Contains("from interactive to learn", log.StdOut);
    }
}

using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Decisions;

/// <summary>
/// The kernel decision cache with the real daemon: a program's repeated connections to a destination it was allowed
/// are decided at connect(2) without the queue, still recorded one decision event each, and a policy change reaches a
/// program that keeps running at once.
/// </summary>
public sealed class KernelCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Repeated_allowed_connections_skip_the_queue_and_are_still_recorded()
    {
        await using var lab = await DecisionLab.CreateAsync("kc");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "app", DecisionLab.Python, "to", "any", "port", "80");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");

        var lines = await ConnectRepeatedlyAsync(lab, count: 20, intervalMs: 20);
        Assert.Equal(20, lines.Count(l => l.StartsWith("open ", StringComparison.Ordinal)));

        var status = JsonNode.Parse(await lab.Daemon!.GetStringAsync("v1/status", Ct))!;
        var kernel = status["kernelCache"]!;
        Assert.Equal("on", (string?)kernel["state"]);
        Assert.True((ulong)kernel["labelled"]! >= 15, $"most of the 20 connections were decided at connect: {kernel}");
        Assert.True(await DecisionLab.EventuallyAsync(async () => (await lab.EventsAsync("decision")).Count(e =>
            (string?)e!["exe"] == DecisionLab.Python && (string?)e["verdict"] == "allow" && (int?)e["dstPort"] == 80) >= 20),
            "every connection has its decision event, labelled ones too");
        var cli = await lab.CliAsync("status");
        Assert.Contains("Kernel cache: on", cli.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_change_reaches_a_program_that_keeps_running_at_once()
    {
        await using var lab = await DecisionLab.CreateAsync("kcd");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "app", DecisionLab.Python, "to", "any", "port", "80");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");

        // One python process connects every 50 ms for 6 s; after 2 s its rule is replaced by a deny.
        var run = ConnectRepeatedlyAsync(lab, count: 120, intervalMs: 50);
        await Task.Delay(2000, Ct);
        await lab.CliOkAsync("delete", "allow", "out", "app", DecisionLab.Python, "to", "any", "port", "80");
        var changedAt = DateTimeOffset.UtcNow;
        var lines = await run;

        var results = lines.Select(l => l.Split(' ')).Where(p => p.Length == 2).Select(p => (At: DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)), Open: p[0] == "open")).ToList();
        Assert.Contains(results, r => r.Open && r.At < changedAt);
        var lateOpen = results.Where(r => r.Open && r.At > changedAt.AddMilliseconds(500)).ToList();
        Assert.True(lateOpen.Count == 0, $"{lateOpen.Count} connections still got through more than 0.5 s after the rule was deleted");
    }

    [Fact]
    public async Task Off_with_the_switch_every_connection_is_queued()
    {
        await using var lab = await DecisionLab.CreateAsync("kco");
        await lab.CliOkAsync("allow", "out", "app", DecisionLab.Python, "to", "any", "port", "80");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce", "--no-kernel-cache");

        var lines = await ConnectRepeatedlyAsync(lab, count: 5, intervalMs: 20);
        Assert.Equal(5, lines.Count(l => l.StartsWith("open", StringComparison.Ordinal)));
        var status = JsonNode.Parse(await lab.Daemon!.GetStringAsync("v1/status", Ct))!;
        Assert.StartsWith("off", (string?)status["kernelCache"]!["state"], StringComparison.Ordinal);
        Assert.Equal(0ul, (ulong)status["kernelCache"]!["labelled"]!);
    }

    /// <summary>One python3 process connecting <paramref name="count"/> times: a line "open|closed UNIX_MS" per attempt.</summary>
    private static async Task<string[]> ConnectRepeatedlyAsync(DecisionLab lab, int count, int intervalMs)
    {
        var script = $$"""
            import socket, time
            for i in range({{count}}):
                try:
                    s = socket.create_connection(('{{lab.Lab.ServerV4}}', 80), timeout=3)
                    s.sendall(b'ping'); s.settimeout(3)
                    ok = s.recv(16) == b'ping'
                    s.close()
                except OSError:
                    ok = False
                print(('open' if ok else 'closed') + ' ' + str(int(time.time() * 1000)), flush=True)
                time.sleep({{intervalMs / 1000.0}})
            """;
        var r = await Shell.RunAsync("ip", ["netns", "exec", lab.Lab.Client.Name, "timeout", "60", DecisionLab.Python, "-c", script], timeout: TimeSpan.FromSeconds(70));
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToArray();
    }
}

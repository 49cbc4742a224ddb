using System.Text.Json;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Daemon;

/// <summary>Numbers for the report (run explicitly: `-- --explicit only --filter-class *DaemonMeasurements`).</summary>
public class DaemonMeasurements(ITestOutputHelper output)
{
    private static long RssKiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact(Explicit = true)]
    public async Task Daemon_rss_idle_and_with_100k_events_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = OutgateDaemon.CreateRoot();
        await using (var idle = await OutgateDaemon.StartAsync(root: root))
        {
            await Task.Delay(3000, ct);
            output.WriteLine($"idle RSS: {RssKiB(idle.Pid) / 1024.0:0.0} MiB");
            await idle.StopAsync();
        }
        root = OutgateDaemon.CreateRoot();
        var store = new EventStore(new DaemonOptions { StateDirectory = Path.Combine(root, "state") });
        store.Initialize();
        using (var inserter = store.CreateInserter())
            for (var b = 0; b < 50; b++)
                inserter.Write(Enumerable.Range(b * 2000, 2000).Select(i => new DaemonEvent
                {
                    Time = DateTimeOffset.UtcNow, Type = EventType.Decision, Verdict = "allow", Proto = "tcp", Src = "10.0.0.1", SrcPort = 40000 + i % 20000,
                    Dst = "93.184.216.34", DstPort = 443, Pid = i, Exe = "/usr/bin/curl", Uid = 1000, User = "alice", Domain = "example.com", Rule = "learn",
                }).ToList());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var full = await OutgateDaemon.StartAsync(root: root);
        for (var i = 0; i < 5; i++)
        {
            await full.GetStringAsync("v1/events?limit=10000", ct);
            await full.GetStringAsync($"v1/events?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&limit=10000", ct);
            using var doc = JsonDocument.Parse(await full.GetStringAsync("v1/status", ct));
            Assert.True(doc.RootElement.GetProperty("events").GetProperty("stored").GetInt64() >= 100_000);
        }
        await Task.Delay(2000, ct);
        output.WriteLine($"RSS with 100k events stored, after 10 queries of 10,000 events and 5 status calls: {RssKiB(full.Pid) / 1024.0:0.0} MiB");
        output.WriteLine($"events.db: {new FileInfo(full.EventDatabase).Length / 1048576.0:0.0} MiB");
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Outgate.Daemon.Alerts.Sinks;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.EndToEnd.Tests.Daemon;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Sinks;

public sealed class AlertForwarderTests
{
    private sealed class RecordingSink : IAlertSink
    {
        public readonly List<(long Id, AlertSettings Settings)> Sent = [];
        public string Name => "recording";
        public bool IsEnabled(AlertSettings settings) => true;

        public Task SendAsync(DaemonEvent alert, AlertSettings settings, CancellationToken cancellationToken)
        {
            lock (Sent) Sent.Add((alert.Id, settings));
            return Task.CompletedTask;
        }
    }

    private static DaemonEvent Event(EventType type, EventSeverity severity) => new() { Time = DateTimeOffset.UtcNow, Type = type, Severity = severity, Rule = "test" };

    [Fact]
    public async Task Forwards_only_new_alerts_at_or_above_min_severity_with_the_live_settings()
    {
        using var dir = new TempStateDirectory();
        var config = Path.Combine(dir.Path, "etc");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "outgate.toml"), "[alerts]\nmin_severity = \"error\"\n", TestContext.Current.CancellationToken);
        var options = new DaemonOptions { StateDirectory = dir.Path, ConfigDirectory = config };
        var store = new EventStore(options);
        store.Initialize();
        using var inserter = store.CreateInserter();
        inserter.Write([Event(EventType.Alert, EventSeverity.Critical)]); // before start: not sent again

        var sink = new RecordingSink();
        var signal = new EventCommitSignal();
        var policy = new LivePolicy(options, TimeProvider.System);
        Assert.Empty(policy.Reload());
        var forwarder = new AlertForwarder([sink], store, signal, policy, TimeProvider.System, NullLogger<AlertForwarder>.Instance);
        await forwarder.StartAsync(TestContext.Current.CancellationToken);
        await forwarder.Started;

        inserter.Write([
            Event(EventType.Alert, EventSeverity.Warning),   // 2: below min_severity
            Event(EventType.Decision, EventSeverity.Critical), // 3: not an alert
            Event(EventType.Alert, EventSeverity.Error),     // 4
            Event(EventType.Alert, EventSeverity.Critical),  // 5
        ]);
        signal.Pulse();
        for (var i = 0; i < 500 && forwarder.Queues[0].Counts.Sent < 2; i++) await Task.Delay(10, TestContext.Current.CancellationToken);
        await forwarder.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal([4L, 5L], sink.Sent.Select(s => s.Id));
        Assert.All(sink.Sent, s => Assert.Equal("error", s.Settings.MinSeverity));
        Assert.Equal(5, forwarder.Cursor);
    }
}

using System.Net.Sockets;
using Outgate.Daemon.Alerts.Sinks;
using Outgate.Daemon.Events;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Health;

/// <summary>The journal sink against a fake journald: a unix datagram socket the test binds, read back as journald would.</summary>
public sealed class JournalSinkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("og-journal-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_alert_is_one_datagram_of_native_journal_fields()
    {
        var path = Path.Combine(_dir, "socket");
        using var journal = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        journal.Bind(new UnixDomainSocketEndPoint(path));
        using var sink = new JournalSink(path);
        Assert.True(sink.IsEnabled(AlertSettings.Default));
        Assert.False(sink.IsEnabled(AlertSettings.Default with { Sinks = new AlertSinkSettings { Journal = false } }));

        var alert = new DaemonEvent
        {
            Time = DateTimeOffset.UtcNow, Type = EventType.Alert, Severity = EventSeverity.Warning, Rule = "health",
            Message = "12 events dropped under overload\nsecond line", Details = "dropped=12",
        };
        await sink.SendAsync(alert, AlertSettings.Default, Ct);
        await sink.SendAsync(alert with { Rule = "tamper-guard", Severity = EventSeverity.Critical }, AlertSettings.Default, Ct);

        var buffer = new byte[65536];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var first = JournalFields.Parse(buffer.AsSpan(0, await journal.ReceiveAsync(buffer, SocketFlags.None, timeout.Token))).ToDictionary();
        Assert.Equal("outgate alert [health] 12 events dropped under overload\nsecond line", first["MESSAGE"]);
        Assert.Equal("4", first["PRIORITY"]);
        Assert.Equal("dropped=12", first["OUTGATE_DETAILS"]);
        var second = JournalFields.Parse(buffer.AsSpan(0, await journal.ReceiveAsync(buffer, SocketFlags.None, timeout.Token))).ToDictionary();
        Assert.Equal("tamper-guard", second["OUTGATE_DETECTOR"]);
        Assert.Equal("2", second["PRIORITY"]);
    }

    [Fact]
    public async Task Without_a_journal_the_sink_is_disabled_and_a_send_fails_with_the_path()
    {
        var path = Path.Combine(_dir, "missing");
        using var sink = new JournalSink(path);
        Assert.False(sink.IsEnabled(AlertSettings.Default));
        var ex = await Assert.ThrowsAsync<IOException>(() => sink.SendAsync(
            new DaemonEvent { Time = DateTimeOffset.UtcNow, Type = EventType.Alert }, AlertSettings.Default, Ct));
        Assert.Contains(path, ex.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

using Outgate.Daemon.Alerts.Sinks;
using Outgate.Daemon.Events;
using Outgate.Policy;
using Tmds.DBus.Protocol;

namespace Outgate.EndToEnd.Tests.Health;

/// <summary>The desktop sink against a real dbus-daemon session bus of another user with a fake notification server.</summary>
public sealed class DesktopSinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DaemonEvent Alert = new()
    {
        Time = DateTimeOffset.UtcNow, Type = EventType.Alert, Severity = EventSeverity.Critical, Rule = "connect-back",
        Message = "bash dialled out with a socket as stdin", Exe = "/usr/bin/bash", Dst = "192.0.2.7", DstPort = 4444,
    };

    [Fact]
    public async Task Root_is_refused_by_a_users_session_bus_so_the_sink_connects_as_the_user()
    {
        await using var bus = await SessionBus.StartAsync();
        using var asRoot = new DBusConnection($"unix:path={bus.SocketPath}");
        await Assert.ThrowsAnyAsync<Exception>(async () => await asRoot.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct));

        using var asUser = new DBusConnection(new DesktopBusOptions(bus.SocketPath, SessionBus.Uid));
        await asUser.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.NotNull(asUser.UniqueName);
    }

    [Fact]
    public async Task An_alert_is_shown_on_each_logged_in_users_desktop()
    {
        await using var bus = await SessionBus.StartAsync();
        using var server = await FakeNotificationServer.StartAsync(bus);
        var sink = new DesktopSink(bus.RuntimeRoot);
        Assert.Equal([(SessionBus.Uid, bus.SocketPath)], sink.Buses());
        Assert.True(sink.IsEnabled(AlertSettings.Default));
        Assert.False(sink.IsEnabled(AlertSettings.Default with { Sinks = new AlertSinkSettings { Desktop = false } }));

        await sink.SendAsync(Alert, AlertSettings.Default, Ct);

        var (app, icon, summary, body, urgency) = Assert.Single(server.Received);
        Assert.Equal("Outgate", app);
        Assert.Equal("dialog-error", icon);
        Assert.Equal("Outgate alert: connect-back (critical)", summary);
        Assert.Equal("bash dialled out with a socket as stdin\n/usr/bin/bash → 192.0.2.7:4444", body);
        Assert.Equal(2, urgency);
    }

    [Fact]
    public async Task Without_a_notification_server_the_send_fails_with_the_users_bus_named()
    {
        await using var bus = await SessionBus.StartAsync();
        var sink = new DesktopSink(bus.RuntimeRoot);
        var ex = await Assert.ThrowsAsync<IOException>(() => sink.SendAsync(Alert, AlertSettings.Default, Ct));
        Assert.Contains($"uid {SessionBus.Uid}", ex.Message);
    }

    [Fact]
    public void Without_session_buses_the_sink_is_disabled()
    {
        var sink = new DesktopSink(Path.Combine(Path.GetTempPath(), "og-no-such-runtime-dir"));
        Assert.Empty(sink.Buses());
        Assert.False(sink.IsEnabled(AlertSettings.Default));
    }

    [Fact]
    public void Long_messages_are_cut_and_severity_sets_the_urgency()
    {
        var n = DesktopNotification.For(Alert with { Message = new string('x', 5000), Severity = EventSeverity.Info, Exe = null, Dst = null });
        Assert.Equal(DesktopNotification.MaxBodyChars, n.Body.Length);
        Assert.EndsWith("…", n.Body);
        Assert.Equal(0, n.Urgency);
        Assert.Equal(1, DesktopNotification.UrgencyOf(EventSeverity.Warning));
    }
}

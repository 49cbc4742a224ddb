using Outgate.Daemon.Events;

namespace Outgate.EndToEnd.Tests.Alerts.Detectors;

/// <summary>Flood control: repeats within the dedup window are dropped and counted, whichever check drops them.</summary>
public sealed class AlertRaiserTests
{
    [Fact]
    public void Repeats_dropped_by_the_look_ahead_count_as_suppressed()
    {
        var rig = new DetectorRig();
        Assert.True(rig.Alerts.IsDue("raw-ip", "/usr/bin/curl", "192.0.2.1", 0));
        Assert.True(rig.Alerts.Raise("raw-ip", "/usr/bin/curl|192.0.2.1", new DaemonEvent { Time = default, Type = EventType.Alert }));
        Assert.False(rig.Alerts.IsDue("raw-ip", "/usr/bin/curl", "192.0.2.1", 0));
        Assert.False(rig.Alerts.IsDue("raw-ip", "/usr/bin/curl", "192.0.2.1", 0));
        Assert.True(rig.Alerts.IsDue("raw-ip", "/usr/bin/wget", "192.0.2.1", 0));
        Assert.Equal((1L, 2L), rig.Alerts.Counts["raw-ip"]);

        rig.Time.Advance(rig.Policy.Current.Policy.Alerts.Dedup);
        Assert.True(rig.Alerts.IsDue("raw-ip", "/usr/bin/curl", "192.0.2.1", 0));
    }

    [Fact]
    public void A_repeat_raised_directly_is_suppressed_too()
    {
        var rig = new DetectorRig();
        var alert = new DaemonEvent { Time = default, Type = EventType.Alert };
        Assert.True(rig.Alerts.Raise("dns-port", "k", alert));
        Assert.False(rig.Alerts.Raise("dns-port", "k", alert));
        Assert.Equal((1L, 1L), rig.Alerts.Counts["dns-port"]);
    }
}

using Outgate.Daemon.Alerts.Api;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.EndToEnd.Tests.Daemon;

namespace Outgate.EndToEnd.Tests.Sinks;

public sealed class AlertAckStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 5, 0, 0, TimeSpan.Zero);

    private static EventStore StoreWith(string dir, params DaemonEvent[] events)
    {
        var store = new EventStore(new DaemonOptions { StateDirectory = dir });
        store.Initialize();
        using var inserter = store.CreateInserter();
        inserter.Write(events);
        return store;
    }

    private static DaemonEvent Alert(int minute, string detector = "tamper-guard") =>
        new() { Time = T0.AddMinutes(minute), Type = EventType.Alert, Severity = EventSeverity.Critical, Rule = detector, Message = $"alert {minute}" };

    private static DaemonEvent Decision(int minute) => new() { Time = T0.AddMinutes(minute), Type = EventType.Decision, Verdict = "allow" };

    [Fact]
    public void Alerts_come_newest_first_with_their_acknowledgement_and_unacked_filters_them()
    {
        using var dir = new TempStateDirectory();
        var store = StoreWith(dir.Path, Alert(0), Decision(1), Alert(2), Alert(3));
        Assert.Equal([4L, 3L, 1L], store.QueryAlerts(new AlertQuery()).Select(a => a.Alert.Id));

        var first = store.AcknowledgeAlert(3, T0.AddHours(1), "alice");
        Assert.Equal((new AlertAck(T0.AddHours(1), "alice"), true), first);
        var again = store.AcknowledgeAlert(3, T0.AddHours(2), "bob");
        Assert.Equal((new AlertAck(T0.AddHours(1), "alice"), false), again); // the first acknowledgement is kept

        Assert.Equal([4L, 1L], store.QueryAlerts(new AlertQuery(UnackedOnly: true)).Select(a => a.Alert.Id));
        Assert.Equal("alice", store.QueryAlerts(new AlertQuery()).Single(a => a.Alert.Id == 3).Acknowledged?.By);
        Assert.Equal([4L], store.QueryAlerts(new AlertQuery(After: 3)).Select(a => a.Alert.Id));
        Assert.Equal([4L, 3L], store.QueryAlerts(new AlertQuery(Since: T0.AddMinutes(2))).Select(a => a.Alert.Id));
        Assert.Equal([4L], store.QueryAlerts(new AlertQuery(Limit: 1)).Select(a => a.Alert.Id));
        Assert.Equal(2, store.CountUnacknowledgedAlerts());
    }

    [Fact]
    public void Unknown_ids_and_ids_of_other_events_are_not_acknowledged()
    {
        using var dir = new TempStateDirectory();
        var store = StoreWith(dir.Path, Alert(0), Decision(1));
        Assert.Null(store.AcknowledgeAlert(2, T0, "alice"));
        Assert.Null(store.AcknowledgeAlert(99, T0, "alice"));
    }

    [Fact]
    public void Ack_all_stops_at_the_given_id()
    {
        using var dir = new TempStateDirectory();
        var store = StoreWith(dir.Path, Alert(0), Alert(1), Alert(2));
        store.AcknowledgeAlert(1, T0, "alice");
        Assert.Equal(1, store.AcknowledgeAllAlerts(2, T0, "bob"));
        Assert.Equal([3L], store.QueryAlerts(new AlertQuery(UnackedOnly: true)).Select(a => a.Alert.Id));
        Assert.Equal("alice", store.QueryAlerts(new AlertQuery()).Single(a => a.Alert.Id == 1).Acknowledged?.By);
    }

    [Fact]
    public void Acknowledgements_of_pruned_alerts_go_with_them()
    {
        using var dir = new TempStateDirectory();
        var store = StoreWith(dir.Path, Alert(0), Alert(1), Alert(2));
        Assert.Equal(3, store.AcknowledgeAllAlerts(3, T0, "alice"));
        store.Prune(maxRows: 1, maxAge: TimeSpan.Zero, now: T0);
        Assert.Equal(2, store.PruneAlertAcks());
        Assert.Equal(0, store.PruneAlertAcks());
        Assert.Equal("alice", Assert.Single(store.QueryAlerts(new AlertQuery())).Acknowledged?.By);
    }
}

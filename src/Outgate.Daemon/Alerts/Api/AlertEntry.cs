using Outgate.Daemon.Events;

namespace Outgate.Daemon.Alerts.Api;

/// <summary>An alert and its acknowledgement (null while unacknowledged).</summary>
public sealed record AlertEntry(DaemonEvent Alert, AlertAck? Acknowledged);

using Outgate.Daemon.Events;

namespace Outgate.Daemon.Alerts.Health;

/// <summary>One health problem: the dedup key (what makes two findings "the same"), severity, message and evidence.</summary>
public sealed record HealthFinding(string Key, EventSeverity Severity, string Message, string Details);

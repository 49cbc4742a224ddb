namespace Outgate.Cli.Alerts;

/// <summary>An alert's acknowledgement as outgated reports it: when, and by whom (a user name, or "dashboard").</summary>
public sealed record AlertAckRecord(DateTimeOffset Time, string? By);

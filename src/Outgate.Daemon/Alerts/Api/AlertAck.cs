namespace Outgate.Daemon.Alerts.Api;

/// <summary>Who acknowledged an alert and when: <see cref="By"/> is the user name from SO_PEERCRED, or "dashboard".</summary>
public sealed record AlertAck(DateTimeOffset Time, string? By);

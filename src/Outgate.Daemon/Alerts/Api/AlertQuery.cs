namespace Outgate.Daemon.Alerts.Api;

/// <summary><c>GET /v1/alerts</c>: the newest <see cref="Limit"/> alerts with id above <see cref="After"/> and time at or after <see cref="Since"/>.</summary>
public sealed record AlertQuery(int Limit = AlertQuery.DefaultLimit, long? After = null, DateTimeOffset? Since = null, bool UnackedOnly = false)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;
}

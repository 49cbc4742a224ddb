namespace Outgate.Daemon.Alerts.Api;

/// <summary><c>POST /v1/alerts/ack-all</c>: how many alerts this call acknowledged, up to which id, and by whom.</summary>
public sealed record AckAllResponse(int Acknowledged, long UpTo, string By);

namespace Outgate.Cli.Alerts;

/// <summary><c>POST /v1/alerts/ack-all</c>: how many alerts were acknowledged, up to which id, by whom.</summary>
public sealed record AckAllResult(int Acknowledged, long UpTo, string By);

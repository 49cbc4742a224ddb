namespace Outgate.Cli.Alerts;

/// <summary><c>POST /v1/alerts/ID/ack</c>: the acknowledgement on record; <see cref="AlreadyAcknowledged"/> when it is an earlier one.</summary>
public sealed record AckResult(long Id, AlertAckRecord Acknowledged, bool AlreadyAcknowledged);

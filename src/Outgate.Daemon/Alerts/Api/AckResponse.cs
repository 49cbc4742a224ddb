namespace Outgate.Daemon.Alerts.Api;

/// <summary>
/// <c>POST /v1/alerts/{id}/ack</c>: the acknowledgement now on record. <paramref name="AlreadyAcknowledged"/> is true when an
/// earlier one was kept (the call still succeeds: acknowledging is idempotent, two people clicking at once both succeed).
/// </summary>
public sealed record AckResponse(long Id, AlertAck Acknowledged, bool AlreadyAcknowledged);

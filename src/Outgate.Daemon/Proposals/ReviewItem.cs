namespace Outgate.Daemon.Proposals;

/// <summary>Recorded traffic a proposal deliberately does not allow, grouped, with the reason a person should look at it.</summary>
public sealed record ReviewItem(string Program, string? Destination, string? Domain, int? Port, string? Proto, string Reason, long Count, DateTimeOffset First, DateTimeOffset Last);

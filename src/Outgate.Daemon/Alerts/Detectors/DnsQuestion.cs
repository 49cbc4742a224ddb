namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>Whether a UDP payload sent to port 53 is a DNS query.</summary>
public enum DnsQueryStatus
{
    /// <summary>A well-formed query header and question.</summary>
    Query,

    /// <summary>Not DNS (or not a query): the dns-port detector's business.</summary>
    NotDns,

    /// <summary>Cut off by the queue's copy range before the question ended: not judged.</summary>
    Incomplete,
}

/// <summary>The question of a DNS query: name (lower-case, dotted, no trailing dot; "" for the root), type and message id.</summary>
public readonly record struct DnsQuestion(string Name, ushort Type, ushort Id)
{
    public const ushort TypeTxt = 16;
    public const ushort TypeNull = 10;

    public bool IsTxtOrNull => Type is TypeTxt or TypeNull;
}

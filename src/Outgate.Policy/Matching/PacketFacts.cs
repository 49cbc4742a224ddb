namespace Outgate.Policy;

/// <summary>
/// What the matcher knows about the first packet of a new connection. <see cref="Protocol"/> is the IANA number
/// (6 tcp, 17 udp, 1 icmp, 58 ipv6-icmp...). Ports are 0 for protocols without ports; <see cref="IcmpType"/> is the
/// ICMP/ICMPv6 type (or -1). <see cref="InInterface"/> is set for in and forward, <see cref="OutInterface"/> for out and forward.
/// <see cref="DestinationNames"/>: the names DNS answers mapped to <see cref="Destination"/> (from the daemon's DNS tracker);
/// null when no answer ever named it. Rules with <c>to domain</c> or a domain <c>to list</c> match through these names only.
/// </summary>
public readonly record struct PacketFacts(
    Direction Direction,
    string? InInterface,
    string? OutInterface,
    int Protocol,
    IPAddress Source,
    IPAddress Destination,
    int SourcePort,
    int DestinationPort,
    int IcmpType = -1,
    IReadOnlyList<string>? DestinationNames = null);

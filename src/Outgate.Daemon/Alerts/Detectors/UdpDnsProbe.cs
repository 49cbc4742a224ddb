namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>What the first packet of a new udp/53 flow carried; <see cref="Present"/> false for every other connection.</summary>
public readonly record struct UdpDnsProbe(bool Present, DnsQueryStatus Status, DnsQuestion Question)
{
    public static UdpDnsProbe None => default;

    /// <summary>Judges a UDP payload sent to port 53 (<paramref name="cut"/>: the capture ended before the datagram did).</summary>
    public static UdpDnsProbe Of(ReadOnlySpan<byte> payload, bool cut) =>
        new(true, DnsQueryParser.TryParse(payload, cut, out var question), question);
}

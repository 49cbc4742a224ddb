using Outgate.Linux.Packets;

namespace Outgate.Linux.Queue;

/// <summary>
/// One packet the kernel queued to us (NFQNL_MSG_PACKET). The payload span points into the
/// receive buffer and is valid only during the handler call. Integers are already converted from
/// the wire's big-endian.
/// </summary>
public readonly ref struct QueuedPacket
{
    /// <summary>Queue number (nfgenmsg.res_id).</summary>
    public ushort QueueNumber { get; init; }

    /// <summary>Packet id to give the verdict for; ids grow by one per queued packet.</summary>
    public uint Id { get; init; }

    /// <summary>Ethertype: 0x0800 IPv4, 0x86DD IPv6.</summary>
    public ushort HardwareProtocol { get; init; }

    /// <summary>Netfilter hook: 0 PRE_ROUTING, 1 LOCAL_IN, 2 FORWARD, 3 LOCAL_OUT, 4 POST_ROUTING.</summary>
    public byte Hook { get; init; }

    /// <summary>Packet mark (NFQA_MARK; the kernel leaves it out when 0).</summary>
    public uint Mark { get; init; }

    /// <summary>Input interface index, 0 when none (locally generated packets).</summary>
    public uint InputInterface { get; init; }

    /// <summary>Output interface index, 0 when none.</summary>
    public uint OutputInterface { get; init; }

    /// <summary>True when the kernel sent NFQA_UID/NFQA_GID (the packet has a socket with a file).</summary>
    public bool HasUid { get; init; }

    /// <summary>Owning socket's uid (fsuid of the opener); valid when <see cref="HasUid"/>.</summary>
    public uint Uid { get; init; }

    /// <summary>Owning socket's gid; valid when <see cref="HasUid"/>.</summary>
    public uint Gid { get; init; }

    /// <summary>Whole packet length when the payload was cut to the copy range (NFQA_CAP_LEN), else the payload length.</summary>
    public int OriginalLength { get; init; }

    /// <summary>NFQA_SKB_INFO bits (GSO, checksum not ready).</summary>
    public uint SkbInfo { get; init; }

    /// <summary>The packet from its IP header on, cut to the copy range.</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>Parses the payload's IP and transport headers; false when they are cut or malformed.</summary>
    public bool TryGetFlow(out PacketFlow flow) => PacketParser.TryParse(Payload, out flow);

    /// <summary>
    /// The data of a UDP packet (a DNS query for port 53), false for anything else. <paramref name="cut"/> is true when
    /// the copy range or the IP length cut it before the end the UDP header announces.
    /// </summary>
    public bool TryGetUdpPayload(out ReadOnlySpan<byte> data, out bool cut)
    {
        data = default;
        cut = false;
        if (!IpPacket.TryRead(Payload, out var ip) || ip.Protocol != PacketParser.IPPROTO_UDP) return false;
        if (!UdpDatagram.TryRead(ip.Transport, out var udp)) return false;
        data = udp.Payload;
        cut = udp.IsTruncated || ip.IsTruncated || OriginalLength > Payload.Length;
        return true;
    }
}

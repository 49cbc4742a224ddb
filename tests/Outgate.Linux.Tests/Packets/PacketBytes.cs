using System.Buffers.Binary;
using System.Net;

namespace Outgate.Linux.Tests.Packets;

/// <summary>Builds IPv4/IPv6 packets (headers only) for parser tests.</summary>
internal static class PacketBytes
{
    public static byte[] Tcp(ushort sport, ushort dport, byte flags)
    {
        var tcp = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), dport);
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        return tcp;
    }

    public static byte[] Udp(ushort sport, ushort dport)
    {
        var udp = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), dport);
        return udp;
    }

    /// <summary>A UDP header with a correct length field, then <paramref name="payload"/>.</summary>
    public static byte[] Udp(ushort sport, ushort dport, byte[] payload)
    {
        var udp = Udp(sport, dport);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)(8 + payload.Length));
        return [.. udp, .. payload];
    }

    /// <summary>A TCP header of <paramref name="optionWords"/> extra words with a sequence number, then <paramref name="payload"/>.</summary>
    public static byte[] Tcp(ushort sport, ushort dport, byte flags, uint sequence, byte[] payload, int optionWords = 0)
    {
        var tcp = new byte[20 + optionWords * 4];
        Tcp(sport, dport, flags).CopyTo(tcp, 0);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), sequence);
        tcp[12] = (byte)((5 + optionWords) << 4);
        return [.. tcp, .. payload];
    }

    public static byte[] IPv4(string source, string destination, byte protocol, byte[] transport, int optionWords = 0, ushort fragment = 0)
    {
        var header = new byte[20 + optionWords * 4];
        header[0] = (byte)(0x40 | (5 + optionWords));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(header.Length + transport.Length));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), fragment);
        header[8] = 64;
        header[9] = protocol;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(header, 12);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(header, 16);
        return [.. header, .. transport];
    }

    /// <summary>IPv6 with extension headers given as (type, bytes) in order; each ext's first byte is patched to the next header.</summary>
    public static byte[] IPv6(string source, string destination, byte protocol, byte[] transport, params (byte Type, byte[] Bytes)[] extensions)
    {
        var header = new byte[40];
        header[0] = 0x60;
        header[6] = extensions.Length > 0 ? extensions[0].Type : protocol;
        header[7] = 64;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(header, 8);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(header, 24);
        var bytes = new List<byte>(header);
        for (var i = 0; i < extensions.Length; i++)
        {
            var ext = (byte[])extensions[i].Bytes.Clone();
            ext[0] = i + 1 < extensions.Length ? extensions[i + 1].Type : protocol;
            bytes.AddRange(ext);
        }
        bytes.AddRange(transport);
        BinaryPrimitives.WriteUInt16BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)[4..], (ushort)(bytes.Count - 40));
        return [.. bytes];
    }

    /// <summary>An 8n-byte option header (hop-by-hop, destination options, routing): length byte = n - 1.</summary>
    public static byte[] OptionHeader(int octets8)
    {
        var ext = new byte[octets8 * 8];
        ext[1] = (byte)(octets8 - 1);
        return ext;
    }
}

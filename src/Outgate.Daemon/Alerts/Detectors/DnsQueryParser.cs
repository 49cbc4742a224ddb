using System.Buffers.Binary;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// Reads the question of a DNS query from a UDP payload, strictly enough to tell DNS from other bytes sent to port 53:
/// QR bit clear, opcode QUERY (0), NOTIFY (4) or UPDATE (5), exactly one question, a name of labels of 1..63 bytes and
/// at most 255 wire bytes with no compression pointer (a query's first name has nothing before it to point at), then
/// type and a known class (IN 1, CH 3, HS 4, NONE 254, ANY 255). Never throws; allocates only the name.
/// </summary>
/// <remarks>
/// Worked example: <c>12 34 01 00 00 01 00 00 00 00 00 00 | 03 77 77 77 07 65 78 61 6D 70 6C 65 03 63 6F 6D 00 | 00 01 00 01</c>
/// is id 0x1234, flags 0x0100 (RD), one question: www.example.com, type A (1), class IN (1).
/// </remarks>
public static class DnsQueryParser
{
    public const int HeaderLength = 12;
    private const int MaxWireName = 255;

    /// <param name="payload">The UDP payload.</param>
    /// <param name="cut">True when the payload was cut short by the capture: running out of bytes is then Incomplete, not NotDns.</param>
    public static DnsQueryStatus TryParse(ReadOnlySpan<byte> payload, bool cut, out DnsQuestion question)
    {
        question = default;
        if (payload.Length < HeaderLength) return cut ? DnsQueryStatus.Incomplete : DnsQueryStatus.NotDns;
        var id = BinaryPrimitives.ReadUInt16BigEndian(payload);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        if ((flags & 0x8000) != 0) return DnsQueryStatus.NotDns; // a response
        var opcode = (flags >> 11) & 0xF;
        if (opcode is not (0 or 4 or 5)) return DnsQueryStatus.NotDns;
        if (BinaryPrimitives.ReadUInt16BigEndian(payload[4..]) != 1) return DnsQueryStatus.NotDns;

        Span<char> text = stackalloc char[MaxWireName];
        var textLength = 0;
        var offset = HeaderLength;
        while (true)
        {
            if (offset >= payload.Length) return cut ? DnsQueryStatus.Incomplete : DnsQueryStatus.NotDns;
            int length = payload[offset];
            if (length == 0) { offset++; break; }
            if (length > 63) return DnsQueryStatus.NotDns; // a pointer (0xC0) or a reserved label type
            if (offset - HeaderLength + 1 + length + 1 > MaxWireName) return DnsQueryStatus.NotDns;
            if (offset + 1 + length > payload.Length) return cut ? DnsQueryStatus.Incomplete : DnsQueryStatus.NotDns;
            if (textLength > 0) text[textLength++] = '.';
            foreach (var b in payload.Slice(offset + 1, length))
                text[textLength++] = b is >= (byte)'A' and <= (byte)'Z' ? (char)(b | 0x20) : (char)b;
            offset += 1 + length;
        }
        if (offset + 4 > payload.Length) return cut ? DnsQueryStatus.Incomplete : DnsQueryStatus.NotDns;
        var type = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
        var @class = BinaryPrimitives.ReadUInt16BigEndian(payload[(offset + 2)..]);
        if (type == 0 || @class is not (1 or 3 or 4 or 254 or 255)) return DnsQueryStatus.NotDns;
        question = new DnsQuestion(new string(text[..textLength]), type, id);
        return DnsQueryStatus.Query;
    }
}

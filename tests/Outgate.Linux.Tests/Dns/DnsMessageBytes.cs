using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Outgate.Linux.Tests.Dns;

/// <summary>Builds DNS messages byte by byte for parser tests; names are written uncompressed unless raw bytes are given.</summary>
internal sealed class DnsMessageBytes
{
    private readonly List<byte> _bytes = [];
    private readonly ushort[] _counts = new ushort[4];

    public DnsMessageBytes(ushort id = 0x1234, ushort flags = 0x8180)
    {
        U16(id);
        U16(flags);
        U16(0); U16(0); U16(0); U16(0);
    }

    public int Length => _bytes.Count;

    public static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        if (name.Length > 0)
            foreach (var label in name.Split('.'))
            {
                bytes.Add((byte)label.Length);
                bytes.AddRange(Encoding.ASCII.GetBytes(label));
            }
        bytes.Add(0);
        return [.. bytes];
    }

    public static byte[] Pointer(int offset) => [(byte)(0xC0 | (offset >> 8)), (byte)offset];

    public DnsMessageBytes Question(string name, ushort type = 1) => Question(Name(name), type);

    public DnsMessageBytes Question(byte[] name, ushort type = 1)
    {
        _counts[0]++;
        _bytes.AddRange(name);
        U16(type);
        U16(1);
        return this;
    }

    public DnsMessageBytes A(string owner, string address, uint ttl = 300) => A(Name(owner), address, ttl);

    public DnsMessageBytes A(byte[] owner, string address, uint ttl = 300)
    {
        var ip = IPAddress.Parse(address);
        return Record(1, owner, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? (ushort)1 : (ushort)28, 1, ttl, ip.GetAddressBytes());
    }

    public DnsMessageBytes Cname(string owner, string target, uint ttl = 300) => Record(1, Name(owner), 5, 1, ttl, Name(target));

    public DnsMessageBytes Record(int section, byte[] owner, ushort type, ushort @class, uint ttl, byte[] data)
    {
        _counts[section]++;
        _bytes.AddRange(owner);
        U16(type);
        U16(@class);
        U32(ttl);
        U16((ushort)data.Length);
        _bytes.AddRange(data);
        return this;
    }

    /// <summary>EDNS OPT in the additional section: root owner, CLASS = UDP payload size, TTL = ext-rcode/version/flags.</summary>
    public DnsMessageBytes Opt(ushort payloadSize = 1232, byte extendedRcode = 0) =>
        Record(3, [0], 41, payloadSize, (uint)extendedRcode << 24, [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);

    public DnsMessageBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public DnsMessageBytes Counts(int questions, int answers, int authority = 0, int additional = 0)
    {
        _counts[0] = (ushort)questions; _counts[1] = (ushort)answers; _counts[2] = (ushort)authority; _counts[3] = (ushort)additional;
        return this;
    }

    public byte[] ToArray()
    {
        var bytes = _bytes.ToArray();
        for (var i = 0; i < 4; i++) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4 + 2 * i), _counts[i]);
        return bytes;
    }

    private void U16(ushort value) { _bytes.Add((byte)(value >> 8)); _bytes.Add((byte)value); }

    private void U32(uint value) { U16((ushort)(value >> 16)); U16((ushort)value); }
}

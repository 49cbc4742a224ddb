namespace Outgate.Linux.Netlink;

/// <summary>One netlink attribute: type (flag bits masked off), flags and payload (padding excluded).</summary>
public readonly ref struct NetlinkAttribute
{
    public readonly ushort Type;
    public readonly bool IsNested;
    public readonly bool IsNetworkByteOrder;
    public readonly ReadOnlySpan<byte> Payload;

    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload)
    {
        Type = (ushort)(rawType & nlattr.NLA_TYPE_MASK);
        IsNested = (rawType & 0x8000) != 0;
        IsNetworkByteOrder = (rawType & 0x4000) != 0;
        Payload = payload;
    }

    /// <summary>Reader over the attributes nested in this one.</summary>
    public NetlinkAttributeReader Nested() => new(Payload);
}

using System.Diagnostics.CodeAnalysis;

namespace Outgate.Linux.Netlink;

/// <summary>A netlink message or attribute is malformed (truncated, lying length, bad field).</summary>
public sealed class NetlinkParseException : FormatException
{
    /// <summary>Byte offset of the bad item within the buffer handed to the reader.</summary>
    public int Offset { get; }

    public NetlinkParseException(string message, int offset) : base($"{message} (at byte {offset})") => Offset = offset;

    [DoesNotReturn]
    internal static void Throw(string message, int offset) => throw new NetlinkParseException(message, offset);
}

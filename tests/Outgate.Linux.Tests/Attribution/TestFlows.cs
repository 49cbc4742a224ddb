using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Packets;

namespace Outgate.Linux.Tests.Attribution;

internal static class TestFlows
{
    /// <summary>The flow of a packet going out from <paramref name="local"/> to <paramref name="remote"/>.</summary>
    public static PacketFlow Outgoing(byte protocol, IPEndPoint local, IPEndPoint remote, TcpFlags flags = TcpFlags.Syn) => new()
    {
        Family = local.AddressFamily,
        Protocol = protocol,
        Source = ToNumber(local.Address),
        Destination = ToNumber(remote.Address),
        SourcePort = (ushort)local.Port,
        DestinationPort = (ushort)remote.Port,
        TcpFlags = protocol == 6 ? flags : default,
    };

    private static UInt128 ToNumber(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork
        ? BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes())
        : BinaryPrimitives.ReadUInt128BigEndian(address.GetAddressBytes());
}

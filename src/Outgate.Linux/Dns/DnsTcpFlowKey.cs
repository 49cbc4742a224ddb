namespace Outgate.Linux.Dns;

/// <summary>One direction of a TCP connection (server to client for answers), addresses as in <c>PacketFlow</c>.</summary>
public readonly record struct DnsTcpFlowKey(bool IPv6, UInt128 Source, ushort SourcePort, UInt128 Destination, ushort DestinationPort);

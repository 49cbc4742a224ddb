using Outgate.Linux.Packets;

namespace Outgate.Linux.Tests.Queue;

/// <summary>A copy of what the handler saw of one queued packet (the packet's spans die with the handler call).</summary>
internal sealed record SeenPacket(ushort Queue, uint Id, bool HasUid, uint Uid, uint Gid, bool Parsed, PacketFlow Flow, uint OutputInterface, object? Extra)
{
    /// <summary>The packet's mark as queued (NFQA_MARK).</summary>
    public uint Mark { get; init; }
}

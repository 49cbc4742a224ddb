namespace Outgate.Linux.Queue;

/// <summary>Handles one queued packet; the packet's spans are valid only during the call.</summary>
public delegate void QueuedPacketHandler<TState>(in QueuedPacket packet, TState state);

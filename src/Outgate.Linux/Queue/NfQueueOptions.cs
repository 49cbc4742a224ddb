namespace Outgate.Linux.Queue;

/// <summary>How an NFQUEUE socket is configured at <see cref="NfQueue.Open"/>.</summary>
public sealed record NfQueueOptions
{
    /// <summary>
    /// Bytes of each packet copied to user space (NFQNL_COPY_PACKET range). Default 128: IP + TCP
    /// headers with options, IPv6 extension headers. A DNS answer queue wants 65535; the kernel
    /// copies at most 65,531 (NFQNL_MAX_COPY_RANGE), and <see cref="QueuedPacket.OriginalLength"/>
    /// tells when a packet was cut.
    /// </summary>
    public int CopyRange { get; init; } = 128;

    /// <summary>Packets the kernel holds for us before dropping (NFQA_CFG_QUEUE_MAXLEN). Default 8192 (the kernel's own default is 1024).</summary>
    public uint MaxQueueLength { get; init; } = 8192;

    /// <summary>NFQA_CFG_F_FAIL_OPEN: when the queue is full, accept instead of drop. Default false (fail closed).</summary>
    public bool FailOpen { get; init; }

    /// <summary>NFQA_CFG_F_UID_GID: every packet carries its socket's uid/gid. Default true.</summary>
    public bool UidGid { get; init; } = true;

    /// <summary>NFQA_CFG_F_GSO: accept GSO packets without segmenting them first. Default true.</summary>
    public bool Gso { get; init; } = true;

    /// <summary>SO_RCVBUFFORCE in bytes (needs CAP_NET_ADMIN). Default 8 MiB; 0 leaves the system default.</summary>
    public int ReceiveBufferSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>How long one <see cref="NfQueue.Receive{TState}"/> waits for a packet before returning 0. Default 250 ms.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The default of <see cref="QueuedMark"/> and <see cref="QueueRuleOptions.QueuedMark"/>.</summary>
    public const uint DefaultQueuedMark = 0x0080_0000;

    /// <summary>
    /// The mark bit the queue rules set before queueing (<see cref="QueueRuleOptions.QueuedMark"/>).
    /// An ACCEPT or REPEAT verdict given without a mark is sent with the mark 0 so the bit is
    /// cleared and the static table does not drop the packet as unanswered (this also clears any
    /// other mark the socket set: pass <see cref="QueueVerdictMark.For"/> to keep it). A mark passed
    /// explicitly is sent with this bit cleared. 0 = the rules set no such bit (send verdicts as given).
    /// </summary>
    public uint QueuedMark { get; init; } = DefaultQueuedMark;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the bad value.</summary>
    public void Validate()
    {
        if (CopyRange is < 40 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(CopyRange), CopyRange, "copy range must be 40..65535 bytes (an IPv6 header alone is 40)");
        if (MaxQueueLength == 0)
            throw new ArgumentOutOfRangeException(nameof(MaxQueueLength), MaxQueueLength, "queue length must be at least 1");
        if (ReceiveBufferSize < 0)
            throw new ArgumentOutOfRangeException(nameof(ReceiveBufferSize), ReceiveBufferSize, "receive buffer size must be 0 (system default) or positive");
        if (ReceiveTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ReceiveTimeout), ReceiveTimeout, "receive timeout must be positive");
    }
}

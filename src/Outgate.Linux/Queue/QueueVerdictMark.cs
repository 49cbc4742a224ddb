namespace Outgate.Linux.Queue;

/// <summary>What the daemon thinks of a queued connection, carried to the static table as a mark bit.</summary>
public enum AppVerdict : byte
{
    /// <summary>No app-level opinion: neither bit, the static rules of <c>inet outgate</c> decide.</summary>
    None,
    /// <summary>Allowed by an app rule or a prompt: the allow bit, the static table accepts.</summary>
    Allow,
    /// <summary>Refused: the deny bit, the static table rejects (TCP reset / ICMP unreachable at once).</summary>
    Deny,
}

/// <summary>
/// Computes the mark sent with a queued packet's NF_ACCEPT verdict: the packet's own mark with
/// the queued bit cleared (so the static table does not take it for a bypassed packet) and the
/// allow or deny bit set. Every other bit — a mark the socket set with SO_MARK, a VPN's routing
/// mark — is kept, because an NFQUEUE verdict with NFQA_MARK replaces the whole mark.
/// </summary>
/// <remarks>
/// Example with the defaults: a packet marked 0x0080_0001 (queued, plus 0x1 from SO_MARK) answered
/// <see cref="AppVerdict.Deny"/> leaves with 0x0040_0001.
/// </remarks>
public readonly record struct QueueVerdictMark(uint Queued, uint Allow, uint Deny)
{
    /// <summary>The defaults, matching <c>Outgate.Policy.DaemonMarks</c>.</summary>
    public static QueueVerdictMark Default => new(QueueRuleOptions.DefaultQueuedMark, QueueRuleOptions.DefaultAllowMark, QueueRuleOptions.DefaultDenyMark);

    /// <summary>The mark for an ACCEPT verdict on a packet that arrived with <paramref name="packetMark"/>.</summary>
    public uint For(uint packetMark, AppVerdict verdict)
    {
        // Clear all three bits first: a stale allow/deny bit from a previous pass must not survive.
        var kept = packetMark & ~(Queued | Allow | Deny);
        return verdict switch
        {
            AppVerdict.Allow => kept | Allow,
            AppVerdict.Deny => kept | Deny,
            _ => kept,
        };
    }
}

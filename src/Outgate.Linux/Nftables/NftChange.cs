using System.Text;

namespace Outgate.Linux.Nftables;

/// <summary>
/// One nf_tables change notification (NFNLGRP_NFTABLES). Names are the raw bytes of the kernel's
/// NUL-terminated strings (terminator removed), pointing into the receive buffer: valid only
/// during the handler call. Compare them with <see cref="IsTable"/>, or copy with the *String
/// properties (they allocate). A transaction's object messages are followed by one
/// <see cref="NftObjectKind.Generation"/> message naming the process that committed it.
/// </summary>
public readonly ref struct NftChange
{
    /// <summary>The nf_tables message type (NFT_MSG_*).</summary>
    public NftMessageType MessageType { get; init; }

    /// <summary>What changed.</summary>
    public NftObjectKind Kind { get; init; }

    /// <summary>True for NEW* (created, or for set elements added), false for DEL*/DESTROY* (deleted).</summary>
    public bool IsAdd { get; init; }

    /// <summary>nfgenmsg.nfgen_family: 1 inet, 2 ip, 3 arp, 5 netdev, 7 bridge, 10 ip6 (0 for generation messages).</summary>
    public byte Family { get; init; }

    /// <summary>The table's name (empty for generation messages).</summary>
    public ReadOnlySpan<byte> Table { get; init; }

    /// <summary>The chain's, set's, object's or flowtable's own name; for a rule its chain; for set elements their set; empty for tables.</summary>
    public ReadOnlySpan<byte> Name { get; init; }

    /// <summary>The object's handle when the kernel sent one (tables, chains, rules, sets, objects), else 0.</summary>
    public ulong Handle { get; init; }

    /// <summary>Generation messages: the ruleset generation id after the commit.</summary>
    public uint GenerationId { get; init; }

    /// <summary>Generation messages: pid of the process that committed (NFTA_GEN_PROC_PID), 0 when absent.</summary>
    public int ProcessId { get; init; }

    /// <summary>Generation messages: that process's comm (NFTA_GEN_PROC_NAME), e.g. <c>nft</c>.</summary>
    public ReadOnlySpan<byte> ProcessName { get; init; }

    /// <summary>nlmsg_pid: the netlink port id of the socket that made the change (0 when the kernel did).</summary>
    public uint SenderPortId { get; init; }

    /// <summary>
    /// True for a generation message committed by a thread of process <paramref name="processId"/>.
    /// The kernel reports the committing TASK's id (task_pid_nr(current): a thread id in a
    /// multithreaded program such as the daemon), so this also checks /proc/PID/task/TID; that
    /// needs the committing thread to be still alive, so apply rules from a long-lived thread, or
    /// remember its thread id (<c>/proc/thread-self</c>) and compare <see cref="ProcessId"/> with it.
    /// </summary>
    public bool IsCommittedBy(int processId) =>
        Kind == NftObjectKind.Generation && ProcessId > 0 &&
        (ProcessId == processId || Directory.Exists($"/proc/{processId}/task/{ProcessId}"));

    /// <summary>Family as nft spells it (<c>inet</c>, <c>ip</c>...), or the number.</summary>
    public string FamilyName => FamilyNameOf(Family);

    public string TableString => Encoding.UTF8.GetString(Table);
    public string NameString => Encoding.UTF8.GetString(Name);
    public string ProcessNameString => Encoding.UTF8.GetString(ProcessName);

    /// <summary>True when this change is about table <paramref name="family"/> <paramref name="utf8Name"/> (no allocation).</summary>
    public bool IsTable(byte family, ReadOnlySpan<byte> utf8Name) =>
        Kind != NftObjectKind.Generation && Family == family && Table.SequenceEqual(utf8Name);

    public override string ToString() => Kind == NftObjectKind.Generation
        ? $"generation {GenerationId} by pid {ProcessId} ({ProcessNameString})"
        : $"{(IsAdd ? "add" : "delete")} {Kind.ToString().ToLowerInvariant()} {FamilyName} {TableString}{(Name.IsEmpty ? "" : " " + NameString)}";

    /// <summary>nft's family keyword for an NFPROTO_* value.</summary>
    public static string FamilyNameOf(byte family) => family switch
    {
        1 => "inet", 2 => "ip", 3 => "arp", 5 => "netdev", 7 => "bridge", 10 => "ip6",
        _ => family.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>NFPROTO_INET, the family of <c>table inet outgate</c>.</summary>
    public const byte FamilyInet = 1;
}

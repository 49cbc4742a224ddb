namespace Outgate.Linux.Nftables;

/// <summary>What an nf_tables change notification is about.</summary>
public enum NftObjectKind : byte
{
    Table,
    Chain,
    Rule,
    Set,
    /// <summary>Elements added to or removed from a set (one message can carry many).</summary>
    SetElement,
    /// <summary>A stateful object (counter, quota, limit, ct helper...).</summary>
    Object,
    Flowtable,
    /// <summary>A transaction was committed (<see cref="NftMessageType.NewGeneration"/>).</summary>
    Generation,
}

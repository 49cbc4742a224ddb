namespace Outgate.Linux.Nftables;

/// <summary>A named set in a table, e.g. <c>inet outgate allowed_v4</c>. Validated on construction.</summary>
public sealed record NftSetId
{
    public NftSetId(NftTableId table, string name)
    {
        ArgumentNullException.ThrowIfNull(table);
        // Set names follow the table-name rules (NFT_NAME_MAXLEN 256 with the NUL).
        NftNames.Validate(table.Family, name);
        Table = table;
        Name = name;
    }

    /// <summary>Shorthand: <c>new NftSetId("inet", "outgate", "allowed_v4")</c>.</summary>
    public NftSetId(string family, string table, string name) : this(new NftTableId(family, table), name) { }

    public NftTableId Table { get; }
    public string Name { get; }

    /// <summary>"inet outgate allowed_v4", as nft names it in <c>list set</c>.</summary>
    public override string ToString() => $"{Table.Family} {Table.Name} {Name}";
}

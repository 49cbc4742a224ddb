namespace Outgate.Linux.Nftables;

/// <summary>A table by family and name, e.g. <c>inet outgate</c>. Validated on construction.</summary>
public sealed record NftTableId
{
    public NftTableId(string family, string name)
    {
        NftNames.Validate(family, name);
        Family = family;
        Name = name;
    }

    public string Family { get; }
    public string Name { get; }

    public override string ToString() => $"{Family} {Name}";
}

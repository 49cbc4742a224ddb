namespace Outgate.Policy;

/// <summary>
/// A port, a port range or a comma-separated list of both, as ufw writes them (<c>22</c>, <c>1000:2000</c>,
/// <c>80,443,8000:8080</c>). At most <see cref="MaxListCount"/> entries, a range counting twice, like ufw.
/// Equality is by the ranges in order.
/// </summary>
public sealed record PortSpec
{
    /// <summary>ufw's limit on the entries of a port list (iptables multiport); a range counts as two.</summary>
    public const int MaxListCount = 15;

    /// <summary>Creates a port specification from already validated ranges.</summary>
    public PortSpec(IReadOnlyList<PortRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0)
        {
            PolicyThrow.ArgumentEmpty(nameof(ranges));
        }

        this.ranges = ranges.ToArray();
    }

    private readonly PortRange[] ranges;

    /// <summary>The ranges in the order written.</summary>
    public IReadOnlyList<PortRange> Ranges => ranges;

    /// <summary>True when this is a single port (not a list, not a range).</summary>
    public bool IsSinglePort => Ranges.Count == 1 && Ranges[0].IsSingle;

    /// <summary>ufw's count: ports plus two per range.</summary>
    public int UfwCount => Ranges.Sum(r => r.IsSingle ? 1 : 2);

    /// <summary>A single port.</summary>
    public static PortSpec Single(int port) => new([new PortRange(port, port)]);

    /// <summary>True when <paramref name="port"/> is in any range.</summary>
    public bool Contains(int port)
    {
        foreach (var range in ranges)
        {
            if (range.Contains(port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses ufw port syntax; <paramref name="error"/> quotes the bad part and says what is allowed.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out PortSpec? spec, [NotNullWhen(false)] out string? error)
        => PortSyntax.TryParse(text, out spec, out error);

    /// <inheritdoc />
    public bool Equals(PortSpec? other) => other is not null && Ranges.SequenceEqual(other.Ranges);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var range in Ranges)
        {
            hash.Add(range);
        }

        return hash.ToHashCode();
    }

    /// <summary>ufw form, e.g. <c>80,443,1000:2000</c>.</summary>
    public override string ToString() => string.Join(',', Ranges);
}

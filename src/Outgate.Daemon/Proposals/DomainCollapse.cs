using Outgate.Policy;

namespace Outgate.Daemon.Proposals;

/// <summary>
/// Turns the names one program reached into rule destinations: three or more different names directly below one parent
/// (<c>a.cdn.example</c>, <c>b.cdn.example</c>, <c>c.cdn.example</c>) become <c>*.cdn.example</c>, which also takes any
/// deeper name below it; everything else stays exact. The parent itself stays its own exact rule, because
/// <c>*.parent</c> does not match <c>parent</c> (see <see cref="DomainPattern"/>). Parents that look like public suffixes
/// (<c>com</c>, <c>co.uk</c>, <c>com.au</c>) are never widened: <c>*.co.uk</c> would be half a country.
/// </summary>
public static class DomainCollapse
{
    /// <summary>How many distinct children of one parent make a wildcard.</summary>
    public const int MinSiblings = 3;

    private static readonly HashSet<string> SecondLevelSuffixLabels = new(StringComparer.Ordinal) { "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gv", "nic", "mil" };

    /// <summary>Maps every name of <paramref name="names"/> (normalised, exact) to the pattern that will cover it.</summary>
    public static IReadOnlyDictionary<string, DomainPattern> Collapse(IEnumerable<string> names)
    {
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        var wildcards = distinct
            .Select(Parent)
            .Where(p => p is not null && CanWiden(p))
            .GroupBy(p => p!, StringComparer.Ordinal)
            .Where(g => g.Count() >= MinSiblings)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);

        var result = new Dictionary<string, DomainPattern>(StringComparer.Ordinal);
        foreach (var name in distinct)
        {
            // The shortest covering wildcard wins, so *.example.com absorbs *.cdn.example.com's members too.
            string? cover = null;
            for (var parent = Parent(name); parent is not null; parent = Parent(parent))
            {
                if (wildcards.Contains(parent)) cover = parent;
            }

            result[name] = cover is null ? DomainPattern.Parse(name) : DomainPattern.Parse("*." + cover);
        }

        return result;
    }

    /// <summary>The name without its first label, or null for a single label.</summary>
    public static string? Parent(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 || dot == name.Length - 1 ? null : name[(dot + 1)..];
    }

    /// <summary>False for parents that are (or look like) public suffixes.</summary>
    public static bool CanWiden(string parent)
    {
        var labels = parent.Split('.');
        if (labels.Length < 2) return false;
        return !(labels.Length == 2 && labels[1].Length == 2 && SecondLevelSuffixLabels.Contains(labels[0]));
    }
}

namespace Outgate.Daemon.Fleet;

/// <summary>Which digest a fleet is expected to run, and who drifted from it.</summary>
public static class FleetDrift
{
    /// <summary>
    /// <paramref name="given"/> when set, else the most common non-null digest (ties: the ordinally smallest, so the
    /// answer does not depend on row order); null when no host reports one.
    /// </summary>
    public static string? Expected(IEnumerable<string?> digests, string? given)
    {
        if (!string.IsNullOrEmpty(given)) return given;
        return digests.Where(d => d is not null)
            .GroupBy(d => d!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();
    }

    /// <summary>A host drifted when an expected digest exists and its own differs (or is unknown).</summary>
    public static bool Drifted(string? digest, string? expected) =>
        expected is not null && !string.Equals(digest, expected, StringComparison.OrdinalIgnoreCase);
}

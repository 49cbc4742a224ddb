namespace Outgate.Policy;

/// <summary>
/// Which names a bundle may carry. Only what <see cref="PolicyFileSet.Load"/> reads: <c>outgate.toml</c> and
/// <c>rules.d/NAME.toml</c> with a plain NAME, so a bundle can never write outside the configuration directory
/// (no <c>..</c>, no absolute paths, no hidden files, no subdirectories).
/// </summary>
public static class BundleNames
{
    /// <summary>Longest accepted drop-in file name.</summary>
    public const int MaxNameLength = 200;

    public static bool IsValid(string name)
    {
        if (name == PolicyFileSet.MainFileName) return true;
        var prefix = PolicyFileSet.DropInDirectoryName + "/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var file = name[prefix.Length..];
        if (file.Length is < 6 or > MaxNameLength || file[0] == '.' || !file.EndsWith(".toml", StringComparison.Ordinal)) return false;
        foreach (var c in file)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '@')) return false;
        return true;
    }

    /// <summary>Load order: <c>outgate.toml</c> first, then drop-ins in ordinal name order (as <see cref="PolicyFileSet.Load"/>).</summary>
    public static int Compare(string a, string b)
    {
        if (a == b) return 0;
        if (a == PolicyFileSet.MainFileName) return -1;
        if (b == PolicyFileSet.MainFileName) return 1;
        return string.CompareOrdinal(a, b);
    }
}

namespace Outgate.Daemon.Fleet;

/// <summary>What <c>outgate fleet search</c> looks for: exactly one of a domain (with its subdomains), an address, a program.</summary>
public sealed record FleetSearch(FleetSearchField Field, string Value)
{
    /// <summary>Parses the query parameters domain=, dst=, exe=; an error names what is wrong.</summary>
    public static FleetSearch? TryParse(string? domain, string? dst, string? exe, out string? error)
    {
        error = null;
        var given = new[] { (FleetSearchField.Domain, domain), (FleetSearchField.Dst, dst), (FleetSearchField.Exe, exe) }
            .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).ToList();
        if (given.Count != 1)
        {
            error = given.Count == 0 ? "give what to search for: domain=, dst= or exe=" : "give only one of domain=, dst= and exe=";
            return null;
        }
        var (field, value) = given[0];
        value = value!.Trim();
        if (value.Length > 1024 || value.Any(char.IsControl))
        {
            error = $"{field.ToString().ToLowerInvariant()}= is longer than 1024 characters or holds control characters";
            return null;
        }
        if (field == FleetSearchField.Domain)
        {
            value = value.TrimEnd('.').ToLowerInvariant();
            if (value.StartsWith("*.", StringComparison.Ordinal)) value = value[2..];
            if (value.Length == 0) { error = "domain= is empty"; return null; }
        }
        return new FleetSearch(field, value);
    }

    /// <summary>The reversed domain: "example.com" → "moc.elpmaxe", the key of the events_rdomain_time index.</summary>
    public static string Reverse(string s)
    {
        var chars = s.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }

    /// <summary>A LIKE pattern matching exactly <paramref name="s"/> as a literal (backslash is the escape).</summary>
    public static string LikeLiteral(string s) => s.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}

public enum FleetSearchField
{
    Domain,
    Dst,
    Exe,
}

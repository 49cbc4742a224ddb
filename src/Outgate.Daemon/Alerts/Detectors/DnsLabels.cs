namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>Pure measures of DNS names for the dns-tunnel detector.</summary>
public static class DnsLabels
{
    /// <summary>Second-level labels under which registries sell names (example.co.uk): the registrable domain then has three labels.</summary>
    private static readonly HashSet<string> PublicSecondLevels = new(StringComparer.Ordinal) { "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gv", "ltd", "plc" };

    /// <summary>
    /// Shannon entropy of <paramref name="label"/> in bits per character: about 3.3 for English words, 4.0 for hex,
    /// 4.5–5 for base32/base64 of random data (the more characters, the closer to log2 of the alphabet).
    /// </summary>
    public static double Entropy(ReadOnlySpan<char> label)
    {
        if (label.IsEmpty) return 0;
        Span<int> counts = stackalloc int[256];
        foreach (var c in label) counts[c & 0xFF]++;
        double entropy = 0;
        foreach (var n in counts)
        {
            if (n == 0) continue;
            var p = (double)n / label.Length;
            entropy -= p * Math.Log2(p);
        }
        return entropy;
    }

    /// <summary>
    /// The name a registrant controls, under which a tunnel makes up subdomains: the last two labels
    /// (<c>a.b.evil.com</c> → <c>evil.com</c>), three under a country's public second level (<c>x.evil.co.uk</c> →
    /// <c>evil.co.uk</c>). A heuristic, not the public suffix list: good enough to group a burst.
    /// </summary>
    public static string RegistrableDomain(string name)
    {
        var last = name.LastIndexOf('.');
        if (last <= 0) return name;
        var second = name.LastIndexOf('.', last - 1);
        if (second < 0) return name;
        var tld = name.AsSpan(last + 1);
        var sld = name.AsSpan(second + 1, last - second - 1);
        if (tld.Length == 2 && PublicSecondLevels.GetAlternateLookup<ReadOnlySpan<char>>().Contains(sld))
        {
            var third = second > 0 ? name.LastIndexOf('.', second - 1) : -1;
            return third < 0 ? name : name[(third + 1)..];
        }
        return name[(second + 1)..];
    }

    /// <summary>The subdomain labels of <paramref name="name"/> (everything left of <paramref name="registrable"/>).</summary>
    public static ReadOnlySpan<char> SubdomainPart(string name, string registrable) =>
        name.Length > registrable.Length ? name.AsSpan(0, name.Length - registrable.Length - 1) : default;
}

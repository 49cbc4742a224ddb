namespace Outgate.Policy.Domains;

/// <summary>How a domain list file is written. Each line decides its own scope (see <see cref="DomainListReader"/>).</summary>
public enum DomainListFormat
{
    /// <summary>Each line by its look: <c>||</c> adblock, address then names hosts, a lone name plain.</summary>
    Auto,

    /// <summary><c>0.0.0.0 ads.example.com [more names]</c>; each name matches exactly.</summary>
    Hosts,

    /// <summary>One domain per line, matching it and its subdomains; <c>*.example.com</c> matches subdomains only.</summary>
    Plain,

    /// <summary><c>||example.com^</c> lines, matching the domain and its subdomains; other adblock syntax is counted and skipped.</summary>
    Adblock,
}

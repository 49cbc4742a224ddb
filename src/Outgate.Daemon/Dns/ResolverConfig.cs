using System.Net;

namespace Outgate.Daemon.Dns;

/// <summary>
/// The resolvers the served namespace is configured to use (nameserver lines of its resolv.conf:
/// /etc/netns/NAME/resolv.conf when serving namespace NAME, as `ip netns exec` does, else
/// /etc/resolv.conf). DNS over TLS/HTTPS to any other resolver bypasses domain rules and is
/// reported. Re-read at most every 30 s; an unreadable file counts as no configured resolver.
/// </summary>
public sealed class ResolverConfig(Hosting.TargetNamespace target, TimeProvider time)
{
    private static readonly TimeSpan RereadAfter = TimeSpan.FromSeconds(30);
    private volatile IReadOnlySet<IPAddress> _resolvers = new HashSet<IPAddress>();
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public string Path => target.Name is { } ns && !ns.StartsWith('/') && File.Exists($"/etc/netns/{ns}/resolv.conf")
        ? $"/etc/netns/{ns}/resolv.conf"
        : "/etc/resolv.conf";

    public bool IsConfigured(IPAddress address)
    {
        var now = time.GetUtcNow();
        if (now - _readAt > RereadAfter)
        {
            _readAt = now;
            _resolvers = Read(Path);
        }
        return _resolvers.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    public static IReadOnlySet<IPAddress> Parse(IEnumerable<string> lines)
    {
        var set = new HashSet<IPAddress>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (!line.StartsWith("nameserver", StringComparison.Ordinal)) continue;
            var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            // "nameserver fe80::1%eth0": the zone is not part of the address we compare.
            if (parts.Length >= 2 && IPAddress.TryParse(parts[1].Split('%')[0], out var address)) set.Add(address);
        }
        return set;
    }

    private static IReadOnlySet<IPAddress> Read(string path)
    {
        try
        {
            return Parse(File.ReadLines(path).Take(1000));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new HashSet<IPAddress>();
        }
    }
}

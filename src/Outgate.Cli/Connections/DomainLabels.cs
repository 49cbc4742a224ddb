using Outgate.Cli.Daemon;

namespace Outgate.Cli.Connections;

/// <summary>
/// Labels remote addresses with the domain outgated saw them answered for. Never looks a name up
/// itself (a lookup is outgoing traffic); without a running daemon the rows stay as they are.
/// </summary>
public static class DomainLabels
{
    public static async Task<ConnectionSnapshot> AddAsync(ConnectionSnapshot snapshot, string socketPath, CancellationToken ct)
    {
        if (snapshot.Rows.Count == 0 || !File.Exists(socketPath)) return snapshot;
        IReadOnlyDictionary<string, string> domains;
        try
        {
            using var client = new DaemonClient(socketPath) { RequestTimeout = TimeSpan.FromSeconds(2) };
            domains = (await client.GetDnsNamesAsync(ct)).DomainByAddress();
        }
        catch (Exception ex) when (ex is DaemonUnavailableException or DaemonRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return snapshot;
        }
        if (domains.Count == 0) return snapshot;
        var rows = snapshot.Rows.Select(r => domains.TryGetValue(Canonical(r.RemoteAddress), out var d) ? r with { Domain = d } : r).ToList();
        return snapshot with { Rows = rows };
    }

    private static string Canonical(System.Net.IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}

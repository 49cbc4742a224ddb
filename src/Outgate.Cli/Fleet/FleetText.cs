using System.Globalization;
using System.Text;
using Outgate.Cli.Connections;

namespace Outgate.Cli.Fleet;

/// <summary>The human form of the fleet answers: aligned columns, names escaped (they come from other hosts).</summary>
public static class FleetText
{
    public static string Hosts(FleetHosts hosts, DateTimeOffset now)
    {
        if (hosts.Hosts.Count == 0) return "No hosts have shipped to the fleet database yet.\n";
        var rows = hosts.Hosts.Select(h => new[]
        {
            Printable.Escape(h.Name),
            h.LastHeartbeat is { } hb ? Ago(now - hb) : "never",
            h.Mode ?? "-",
            Short(h.PolicyDigest),
            h.Drift ? "DRIFT" : "ok",
            h.EventsShipped.ToString("N0", CultureInfo.InvariantCulture),
            h.Version ?? "-",
        }).ToList();
        var sb = new StringBuilder(Table(["HOST", "HEARTBEAT", "MODE", "POLICY", "DRIFT", "EVENTS", "VERSION"], rows));
        sb.Append(CultureInfo.InvariantCulture, $"\nExpected policy digest: {hosts.ExpectedDigest ?? "none reported"}{(hosts.ExpectedGiven ? " (--expect)" : hosts.ExpectedDigest is null ? "" : " (the most common)")}; ");
        var drifted = hosts.Hosts.Count(h => h.Drift);
        sb.Append(CultureInfo.InvariantCulture, $"{drifted} of {hosts.Hosts.Count} host{(hosts.Hosts.Count == 1 ? "" : "s")} drifted.\n");
        return sb.ToString();
    }

    public static string Search(FleetSearchResult result)
    {
        if (result.Results.Count == 0)
            return $"No host connected to {result.Field} {Printable.Escape(result.Value)} since {result.Since:yyyy-MM-dd HH:mm} UTC.\n";
        var rows = result.Results.Select(r => new[]
        {
            Printable.Escape(r.Host), Printable.Escape(r.Exe ?? "-"), Printable.Escape(r.Dst ?? "-"), Printable.Escape(r.Domain ?? "-"),
            r.Count.ToString("N0", CultureInfo.InvariantCulture), r.First.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            r.Last.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        }).ToList();
        var hosts = result.Results.Select(r => r.HostId).Distinct().Count();
        return Table(["HOST", "PROGRAM", "DESTINATION", "DOMAIN", "CONNECTIONS", "FIRST (UTC)", "LAST (UTC)"], rows)
            + $"\n{hosts} host{(hosts == 1 ? "" : "s")} since {result.Since:yyyy-MM-dd HH:mm} UTC.\n";
    }

    public static string Top(FleetTop top)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Since {top.Since:yyyy-MM-dd HH:mm} UTC\n\nPrograms\n");
        sb.Append(top.Apps.Count == 0 ? "  none\n" : Table(["PROGRAM", "CONNECTIONS", "HOSTS"], Rows(top.Apps)));
        sb.Append("\nDestinations\n");
        sb.Append(top.Destinations.Count == 0 ? "  none\n" : Table(["DESTINATION", "CONNECTIONS", "HOSTS"], Rows(top.Destinations)));
        return sb.ToString();

        static List<string[]> Rows(IReadOnlyList<FleetTopRow> rows) =>
            [.. rows.Select(r => new[] { Printable.Escape(r.Value), r.Count.ToString("N0", CultureInfo.InvariantCulture), r.Hosts.ToString(CultureInfo.InvariantCulture) })];
    }

    public static string Alerts(FleetAlerts alerts)
    {
        if (alerts.Alerts.Count == 0) return $"No alerts since {alerts.Since:yyyy-MM-dd HH:mm} UTC.\n";
        var rows = alerts.Alerts.Select(a => new[]
        {
            a.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Printable.Escape(a.Host), a.Severity,
            Printable.Escape(a.Detector ?? "-"), Printable.Escape(a.Message ?? ""),
        }).ToList();
        return Table(["TIME (UTC)", "HOST", "SEVERITY", "DETECTOR", "MESSAGE"], rows);
    }

    public static string Status(FleetStatus s)
    {
        if (!s.Configured)
            return s.LastError is { } refused
                ? $"Fleet shipping is off: {refused}\n"
                : "Fleet shipping is off: no fleet database configured (CONFIG_DIR/fleet.conf or outgated --fleet-db; see docs/fleet.md).\n";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Fleet database: {s.Target} (from {s.Source})\n");
        sb.Append(CultureInfo.InvariantCulture, $"Host: {Printable.Escape(s.HostName)} ({s.HostId?.ToString() ?? "id not loaded"})\n");
        sb.Append(CultureInfo.InvariantCulture, $"Connected: {(s.Connected ? "yes" : "no")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Shipped up to event: {(s.ShippedId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "unknown (not connected yet)")} of {s.LastLocalId}");
        sb.Append(s.Lag is { } lag ? $" (lag {lag.ToString("N0", CultureInfo.InvariantCulture)} events)\n" : "\n");
        sb.Append(CultureInfo.InvariantCulture, $"Shipped by this daemon: {s.ShippedThisRun.ToString("N0", CultureInfo.InvariantCulture)} events in {s.Batches} batches");
        sb.Append(s.LastShippedAt is { } at ? $", last at {at:yyyy-MM-dd HH:mm:ss} UTC\n" : "\n");
        if (s.LastHeartbeatAt is { } hb) sb.Append(CultureInfo.InvariantCulture, $"Last heartbeat: {hb:yyyy-MM-dd HH:mm:ss} UTC\n");
        if (s.LastError is { } err) sb.Append(CultureInfo.InvariantCulture, $"Last error: {err}{(s.LastErrorAt is { } e ? $" ({e:yyyy-MM-dd HH:mm:ss} UTC)" : "")}\n");
        if (s.HeartbeatError is { } hbe) sb.Append(CultureInfo.InvariantCulture, $"Heartbeat error: {hbe}\n");
        return sb.ToString();
    }

    private static string Short(string? digest) => digest is null ? "-" : digest.Length > 12 ? digest[..12] : digest;

    private static string Ago(TimeSpan t) => t.TotalSeconds < 0 ? "now"
        : t.TotalSeconds < 120 ? $"{t.TotalSeconds:0}s ago"
        : t.TotalMinutes < 120 ? $"{t.TotalMinutes:0}m ago"
        : t.TotalHours < 48 ? $"{t.TotalHours:0}h ago" : $"{t.TotalDays:0}d ago";

    private static string Table(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                if (i == cells.Length - 1) sb.Append(cells[i]);
                else sb.Append(cells[i].PadRight(widths[i] + 2));
            }
            sb.Append('\n');
        }
        Line(header);
        foreach (var r in rows) Line(r);
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using Outgate.Cli.Connections;

namespace Outgate.Cli.Daemon;

/// <summary>
/// The daemon part of <c>outgate status</c>, after the firewall's own status:
/// <code>
/// Daemon: running (outgated 0.1.0, pid 812, up 2h05m)
///   Mode: interactive
///   Queue: native; fail-open: no
///   Decisions: 120 allowed, 3 denied, 2 prompted, 4000 cached, 1 unattributed
///   Pending prompts: 2 (answer with `outgate prompts` and `outgate answer`)
///   Attribution: p50 42 µs, p99 310 µs
///   Memory: 48.2 MB resident (GC heap 6.1 MB, 12.0 MB committed), 120 live flows
///   Kernel cache: on, 3,900 connections decided at connect without the queue
///   Tamper: table restored 1 time, last 2026-11-25 22:00:00
///   DNS: 310 answers read, 52 addresses tracked, 4 domain sets, dns-required: no
///   Health: ok
/// </code>
/// Lines for fields an older daemon does not send are left out. Never changes status's exit code.
/// </summary>
public static class DaemonStatusSection
{
    /// <summary>Short, because status must stay quick even when a hung daemon holds the socket.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The section for the daemon on <paramref name="socketPath"/>: empty when no daemon was ever
    /// started there (no socket file), one line when it cannot be asked.
    /// </summary>
    public static async Task<string> ReadAsync(string socketPath, CancellationToken ct)
    {
        if (!File.Exists(socketPath)) return "";
        using var client = new DaemonClient(socketPath) { RequestTimeout = Timeout };
        try
        {
            return Render(await client.GetStatusAsync(ct));
        }
        catch (Exception ex) when (ex is DaemonUnavailableException or DaemonRequestException)
        {
            return $"Daemon: not reachable ({ex.Message})\n";
        }
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    public static string Render(DaemonStatus s)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Daemon: running (outgated {Printable.Escape(s.Version)}, pid {s.Pid}, up {DaemonText.Span(TimeSpan.FromSeconds(s.UptimeSeconds))})\n");
        sb.Append("  Mode: ").Append(Printable.Escape(s.Mode)).Append('\n');
        sb.Append("  Queue: ").Append(Printable.Escape(s.Queue is { Length: > 0 } q ? q : "none"));
        if (s.FailOpen is { } failOpen) sb.Append("; fail-open: ").Append(failOpen ? "yes (packets pass unjudged if outgated stalls)" : "no");
        sb.Append('\n');
        if (s.Decisions is { } d)
            sb.Append(CultureInfo.InvariantCulture, $"  Decisions: {d.Allowed} allowed, {d.Denied} denied, {d.Prompted} prompted, {d.Cached} cached, {d.Unattributed} unattributed\n");
        if (s.PendingPrompts is { } pending)
            sb.Append(CultureInfo.InvariantCulture, $"  Pending prompts: {pending}{(pending > 0 ? " (see `outgate prompts`, answer with `outgate answer ID allow|deny`)" : "")}\n");
        if (s.Attribution is { } a)
            sb.Append(CultureInfo.InvariantCulture, $"  Attribution: p50 {a.P50Micros:0.#} µs, p99 {a.P99Micros:0.#} µs\n");
        if (s.Memory is { } m)
            sb.Append(CultureInfo.InvariantCulture, $"  Memory: {Megabytes(m.ResidentBytes)} resident (GC heap {Megabytes(m.GcHeapBytes)}, {Megabytes(m.GcCommittedBytes)} committed), {m.LiveFlows:N0} live flows\n");
        if (s.KernelCache is { } k)
        {
            sb.Append("  Kernel cache: ").Append(Printable.Escape(k.State));
            if (k.State == "on") sb.Append(CultureInfo.InvariantCulture, $", {k.Labelled:N0} connections decided at connect without the queue");
            sb.Append('\n');
        }
        if (s.Tamper is { } t)
        {
            sb.Append("  Tamper: ");
            if (t.Restored == 0) sb.Append("no changes by others seen\n");
            else sb.Append(CultureInfo.InvariantCulture, $"table restored {DaemonText.Count(t.Restored, "time")}{(t.LastAt is { } at ? ", last " + at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "")}\n");
        }
        if (s.Dns is { } dns)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  DNS: {dns.Answers} answers read, {dns.Tracked} addresses tracked, {DaemonText.Count(dns.DomainSets, "domain set")}, dns-required: {(dns.DnsRequired ? "yes" : "no")}");
            if (dns.Unreadable > 0) sb.Append(CultureInfo.InvariantCulture, $", {dns.Unreadable} unreadable packets passed on");
            if (dns.SetErrors > 0) sb.Append(CultureInfo.InvariantCulture, $", {dns.SetErrors} set updates failed");
            sb.Append('\n');
        }
        if (s.Dashboard is { } dashboard)
            sb.Append("  Dashboard: ").Append(Printable.Escape(dashboard)).Append(dashboard.StartsWith("http", StringComparison.Ordinal) ? " (log in: `outgate dashboard`)\n" : "\n");
        sb.Append("  Health: ").Append(Printable.Escape(s.Health));
        if (s.HealthReasons is { Count: > 0 } reasons) sb.Append(" (").Append(string.Join("; ", reasons.Select(Printable.Escape))).Append(')');
        sb.Append('\n');
        return sb.ToString();
    }
}

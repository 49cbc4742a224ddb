using System.Net;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Events;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// The detectors that look at every new outgoing connection, called by the queue once per connection after its
/// verdict, for fresh and cached decisions alike: connect-back, new-app / hash-changed, blocklist, raw-ip, dns-port,
/// dns-tunnel (the query in a udp/53 flow's first packet) and beaconing. Each is gated by its own switch in
/// <c>[alerts]</c> and raises only through <see cref="AlertRaiser"/>. Cheap on purpose: the common case (a known app,
/// no tool, no list, not refused) is a few dictionary lookups and no allocation.
/// </summary>
public sealed class ConnectionDetectors(
    AlertRaiser alerts, LivePolicy policy, KnownApps knownApps, BlocklistDetector blocklist, DnsTunnelDetector dnsTunnel, BeaconingDetector beaconing)
{
    private long _failures;

    /// <summary>Inspections that threw (a detector bug): counted, never passed on to the queue thread that called.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public void Inspect(ProcessFacts process, in ConnectionFacts connection, IPAddress destination, UInt128 destinationValue, ushort port, byte protocol,
        IReadOnlyList<string>? names, ConnectionDecision decision, in UdpDnsProbe dns, DateTimeOffset now)
    {
        try
        {
            InspectCore(process, connection, destination, destinationValue, port, protocol, names, decision, dns, now);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A verdict must never be lost to an alert: the queue thread carries on.
            Interlocked.Increment(ref _failures);
        }
    }

    private void InspectCore(ProcessFacts process, in ConnectionFacts connection, IPAddress destination, UInt128 destinationValue, ushort port, byte protocol,
        IReadOnlyList<string>? names, ConnectionDecision decision, in UdpDnsProbe dns, DateTimeOffset now)
    {
        var settings = policy.Current.Policy.Alerts;
        if (decision.ConnectBack is { } tool && settings.ConnectBack.Enabled
            && alerts.IsDue("connect-back", tool.Executable, connection.Dst, connection.DstPort))
            ConnectBack(tool, process, connection, decision);
        if (settings.NewApp.Enabled && process.ExecutablePath is { } exe && knownApps.IsLoaded) NewApp(exe, process, connection, now);
        if (settings.Blocklist.Enabled && settings.Blocklist.Lists.Count > 0) blocklist.Check(destination, names, process, connection);
        if (settings.RawIp.Enabled && connection.Tags is { } tags && tags.StartsWith(ConnectionTags.NoDns, StringComparison.Ordinal)
            && alerts.IsDue("raw-ip", process.ExecutablePath, connection.Dst, 0))
        {
            alerts.Raise("raw-ip", $"{process.ExecutablePath}|{connection.Dst}", AlertEvent.For(EventSeverity.Notice,
                $"{process.ExecutablePath ?? "an unknown program"} connects to {connection.Dst}:{port}, an address no DNS lookup returned ({decision.Outcome})",
                $"address={connection.Dst}; port={port}; outcome={decision.Outcome}", process, connection));
        }
        if (dns.Present)
        {
            if (dns.Status == DnsQueryStatus.NotDns && settings.DnsPort.Enabled)
            {
                alerts.Raise("dns-port", $"{process.ExecutablePath}|{connection.Dst}", AlertEvent.For(EventSeverity.Warning,
                    $"{process.ExecutablePath ?? "an unknown program"} sends something that is not a DNS query to {connection.Dst}:{port}: port 53 used to slip other traffic out?",
                    $"address={connection.Dst}; port={port}; reason=not-a-dns-query; outcome={decision.Outcome}", process, connection));
            }
            else if (dns.Status == DnsQueryStatus.Query)
            {
                dnsTunnel.Observe(dns.Question, process, connection);
                blocklist.CheckQuery(dns.Question.Name, process, connection);
            }
        }
        if (decision.Outcome is "reject" or "deny") beaconing.Refused(process, destinationValue, port, protocol, connection);
    }

    private void ConnectBack(ConnectBackTool tool, ProcessFacts process, in ConnectionFacts connection, ConnectionDecision decision)
    {
        var refused = decision.Outcome is "reject" or "deny";
        alerts.Raise("connect-back", $"{tool.Executable}|{connection.Dst}|{connection.DstPort}", AlertEvent.For(tool.Blocks ? EventSeverity.Error : EventSeverity.Notice,
            $"{tool.Executable} ({tool.KindName}) connects out to {connection.Dst}:{connection.DstPort}: a connect-back shell? ({decision.Outcome}: {decision.DecidedBy})",
            $"tool={tool.BaseName}; kind={tool.Kind.ToString().ToLowerInvariant()}; cmdline={AlertEvent.Value(process.CommandLine)}; parent={AlertEvent.Value(process.ParentExecutablePath)}; outcome={decision.Outcome}; blocked={(refused ? "true" : "false")}",
            process, connection));
    }

    private void NewApp(string exe, ProcessFacts process, in ConnectionFacts connection, DateTimeOffset now)
    {
        switch (knownApps.Observe(exe, process.Sha256, now, out var previous))
        {
            case AppNovelty.New:
                alerts.Raise("new-app", exe, AlertEvent.For(EventSeverity.Notice,
                    $"first outbound connection of {exe} (to {connection.Dst}:{connection.DstPort})",
                    $"sha256={process.Sha256}; cmdline={AlertEvent.Value(process.CommandLine)}; parent={AlertEvent.Value(process.ParentExecutablePath)}", process, connection));
                break;
            case AppNovelty.HashChanged:
                alerts.Raise("hash-changed", $"{exe}|{process.Sha256}", AlertEvent.For(EventSeverity.Warning,
                    $"{exe} changed since it last connected out: sha256 was {previous}, is now {process.Sha256}",
                    $"sha256={process.Sha256}; previous_sha256={previous}; cmdline={AlertEvent.Value(process.CommandLine)}", process, connection));
                break;
        }
    }
}

using System.Net;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.Daemon.Decisions;

/// <summary>
/// <c>outgate explain</c>: judges a connection (one from the event log, or a hypothetical one)
/// against the live policy and mode and says, line by line, which rules were considered and which
/// one decided, in precedence order: rules about programs, then the static rules, then the mode.
/// </summary>
public static class ConnectionExplainer
{
    public static (ConnectionDecision Decision, IReadOnlyList<string> Lines) Explain(
        PolicySnapshot policy, DaemonMode mode, in PacketFacts packet, ProcessFacts process, DateTimeOffset now)
    {
        var decision = ConnectionDecider.Decide(policy, mode, packet, process, now);
        var lines = new List<string>
        {
            $"connection: {process.ExecutablePath ?? "unknown program"} (uid {process.Uid}{(process.SystemdUnit is { } u ? $", unit {u}" : "")}{((process.ContainerName ?? process.ContainerId) is { } c ? $", container {c}" : "")}) → {Endpoint(packet)}",
            packet.DestinationNames is { Count: > 0 } names
                ? $"destination names (from DNS answers): {string.Join(", ", names)}"
                : "destination names: none (no DNS answer Outgate saw gave this address)",
            $"mode: {mode.ToName()}, policy generation {policy.Generation} ({policy.Policy.Rules.Count} rules)",
        };
        if (policy.Subjects.HasSubjectRules)
        {
            lines.Add("rules about programs (most specific subject first, deny wins ties):");
            lines.AddRange(policy.Subjects.Explain(packet, process, now).Select(l => "  " + l));
        }
        else
        {
            lines.Add("rules about programs: none in the policy");
        }
        var packets = policy.Packets.Decide(packet);
        lines.Add(packets.Reason == DecisionReason.Rule
            ? $"static rules: rule {packets.RuleNumber} matches ({policy.Policy.Rules[packets.RuleNumber - 1].ToUfwString()}) → {ConnectionDecider.OutcomeName(packets.Verdict)}"
            : $"static rules: {packets.Reason.ToString().ToLowerInvariant()} → {ConnectionDecider.OutcomeName(packets.Verdict)}");
        if (decision.WouldBe is { } wouldBe) lines.Add($"learn mode lets it through; enforced it would be: {wouldBe}");
        if (decision.ConnectBack is { } tool)
            lines.Add(policy.Policy.Alerts.ConnectBack.Block
                ? $"{tool.Reason} (refused in enforce mode, asked in interactive mode, let through in learn mode)"
                : $"connect-back: {tool.Executable} is {tool.KindName} (alert only: [alerts.connect-back] block = false)");
        if (decision.Prompt) lines.Add("interactive mode: no rule decides this program's connection, so the user is asked");
        foreach (var rule in decision.HashMismatches) lines.Add($"warning: '{rule.ToUfwString()}' is pinned to another executable hash: the binary changed");
        lines.Add($"verdict: {decision.Outcome} — decided by {decision.DecidedBy}");
        return (decision, lines);
    }

    private static string Endpoint(in PacketFacts p)
    {
        var proto = p.Protocol switch { 6 => "tcp", 17 => "udp", 1 => "icmp", 58 => "ipv6-icmp", _ => p.Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var host = p.Destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{p.Destination}]" : p.Destination.ToString();
        return p.DestinationPort > 0 ? $"{host}:{p.DestinationPort}/{proto}" : $"{host} {proto}";
    }

    /// <summary>PacketFacts for an outgoing connection from loose parts (explain queries, logged events).</summary>
    public static PacketFacts Facts(string proto, IPAddress destination, int port, IPAddress? source = null, int sourcePort = 0, string? outInterface = null) =>
        new(Direction.Out, null, outInterface, ProtocolNumber(proto), source ?? (destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any),
            destination, sourcePort, port);

    public static int ProtocolNumber(string proto) => proto.ToLowerInvariant() switch
    {
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        "ipv6-icmp" or "icmpv6" => 58,
        "udplite" => 136,
        "sctp" => 132,
        var other => int.TryParse(other, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1,
    };
}

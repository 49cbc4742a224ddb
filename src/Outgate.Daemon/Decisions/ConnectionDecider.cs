using System.Net;
using Outgate.Daemon.Alerts.Detectors;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.Daemon.Decisions;

/// <summary>
/// Mode + policy → verdict for one new outgoing connection. Precedence: a rule about the program
/// (<see cref="SubjectMatcher"/>: most specific subject first, deny wins ties) beats the static
/// packet rules; the static rules (judged by the kernel table after our verdict) beat the mode's
/// treatment of unknown programs.
/// <list type="bullet">
/// <item>learn: never refuses anything the static rules allow; records what the program rules would have done.</item>
/// <item>interactive: program rule, else an explicit static rule, else a prompt.</item>
/// <item>enforce: program rule, else the static rules and the default outgoing policy.</item>
/// <item>lockdown: only program rules pinned to an executable hash may allow; everything else is refused.</item>
/// </list>
/// Connect-back guard (<c>[alerts.connect-back]</c>): a shell, interpreter or relay tool dialling out
/// (<see cref="ConnectBackTools"/>) is refused in enforce mode and asked about in interactive mode unless a program rule
/// that names it (by path, bare name or hash) allows it; a static port rule or the default policy is not enough.
/// Learn mode lets it pass; the decision carries <see cref="ConnectionDecision.ConnectBack"/> either way, for the alert.
/// Pure: no I/O, safe from any thread.
/// </summary>
public static class ConnectionDecider
{
    /// <param name="staticDecision">The static rules' decision on <paramref name="packet"/> when the caller already has it
    /// (the simulator judges many programs against the same destination); null: judged here.</param>
    public static ConnectionDecision Decide(PolicySnapshot policy, DaemonMode mode, in PacketFacts packet, ProcessFacts process, DateTimeOffset now, Decision? staticDecision = null)
    {
        var tool = ConnectBackOf(policy, packet, process);
        var decision = DecideCore(policy, mode, packet, process, now, staticDecision, tool, out var rule);
        if (tool is not null) decision = decision with { ConnectBack = tool };
        return rule is not null && packet.DestinationNames is { Count: > 0 } names && NameMatchedBy(policy, rule, names) is { } name
            ? decision with { MatchedName = name }
            : decision;
    }

    /// <summary>Which of <paramref name="names"/> made <paramref name="rule"/> match (its domain pattern or domain list).</summary>
    public static string? NameMatchedBy(PolicySnapshot policy, Rule rule, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (rule.ToDomain is { } pattern && pattern.Matches(name)) return name;
            if (rule.ToList is { } path && policy.Lists.Get(path).ContainsName(name)) return name;
        }
        return null;
    }

    /// <summary>
    /// The connect-back tool behind this connection, or null: none, the detector is off, or the connection is DNS
    /// (interpreters resolve names themselves; the DNS detectors watch port 53) or stays on loopback.
    /// </summary>
    public static ConnectBackTool? ConnectBackOf(PolicySnapshot policy, in PacketFacts packet, ProcessFacts process)
    {
        var settings = policy.Policy.Alerts.ConnectBack;
        if (!settings.Enabled || process.ExecutablePath is null) return null;
        if (packet.DestinationPort == 53 && packet.Protocol is 6 or 17) return null;
        var destination = packet.Destination.IsIPv4MappedToIPv6 ? packet.Destination.MapToIPv4() : packet.Destination;
        if (IPAddress.IsLoopback(destination)) return null;
        return ConnectBackTools.Match(process.ExecutablePath, process.CommandLine, settings.ExtraTools);
    }

    /// <summary>A program rule "names" a tool when its subject gives the executable (path or bare name) or pins its hash.</summary>
    public static bool NamesExecutable(Rule rule) => rule.Subject is { App: not null } or { Sha256: not null };

    private static ConnectionDecision DecideCore(PolicySnapshot policy, DaemonMode mode, in PacketFacts packet, ProcessFacts process, DateTimeOffset now,
        Decision? staticDecision, ConnectBackTool? tool, out Rule? decidingRule)
    {
        decidingRule = null;
        if (DnsGuards.Refusal(policy, packet) is { } refusal)
            return new(AppVerdict.Pass, "reject", refusal, false, null, []);
        var subject = policy.Subjects.Decide(packet, process, now);
        var packets = staticDecision ?? policy.Packets.Decide(packet);
        var staticRule = packets.Reason == DecisionReason.Rule ? policy.Policy.Rules[packets.RuleNumber - 1] : null;
        // Learn mode lets a program rule allow, but never refuse: then the static rules decide.
        decidingRule = subject is { Verdict: { } v, Rule: { } r } && (mode != DaemonMode.Learn || v == Verdict.Accept) ? r : staticRule;
        var staticOutcome = OutcomeName(packets.Verdict);
        var staticBy = DescribeStatic(policy, packets);

        if (mode == DaemonMode.Lockdown)
        {
            return subject is { Verdict: Verdict.Accept, Rule.Subject.Sha256: not null }
                ? new(AppVerdict.Allow, "allow", policy.DescribeRule(subject.RuleNumber) + " (pinned, lockdown)", false, subject.ValidUntil, subject.HashMismatches)
                : new(AppVerdict.Deny, "reject", "lockdown mode: only hash-pinned program rules may connect", false, subject.ValidUntil, subject.HashMismatches);
        }

        var guarded = tool is { Blocks: true } && policy.Policy.Alerts.ConnectBack.Block && mode is DaemonMode.Enforce or DaemonMode.Interactive;
        if (subject is { Verdict: { } verdict, Rule: { } rule } && !(guarded && verdict == Verdict.Accept && !NamesExecutable(rule)))
        {
            var by = policy.DescribeRule(subject.RuleNumber);
            if (mode == DaemonMode.Learn && verdict != Verdict.Accept)
                return new(AppVerdict.Pass, staticOutcome, staticBy + " (learn mode)", false, subject.ValidUntil, subject.HashMismatches) { WouldBe = $"{OutcomeName(verdict)} by {by}" };
            return new(verdict == Verdict.Accept ? AppVerdict.Allow : AppVerdict.Deny, OutcomeName(verdict), by, false, subject.ValidUntil, subject.HashMismatches);
        }

        if (guarded)
        {
            // No rule names the tool: neither a static port rule nor the default policy may let a shell dial out.
            decidingRule = null;
            return mode == DaemonMode.Interactive
                ? new(AppVerdict.Pass, "prompt", tool!.Reason, true, subject.ValidUntil, subject.HashMismatches)
                : new(AppVerdict.Deny, "reject", tool!.Reason, false, subject.ValidUntil, subject.HashMismatches);
        }

        var prompt = mode == DaemonMode.Interactive && packets.Reason == DecisionReason.Default;
        return new(AppVerdict.Pass, prompt ? "prompt" : staticOutcome, prompt ? "no rule for this program: asking" : staticBy, prompt, subject.ValidUntil, subject.HashMismatches);
    }

    public static string OutcomeName(Verdict verdict) => verdict switch
    {
        Verdict.Accept => "allow",
        Verdict.Drop => "deny",
        _ => "reject",
    };

    public static string DescribeRule(Rule rule, int number) => $"rule {number}: {rule.ToUfwString()}";

    private static string DescribeStatic(PolicySnapshot policy, Decision decision) => decision.Reason switch
    {
        DecisionReason.Rule => policy.DescribeRule(decision.RuleNumber),
        DecisionReason.Default => policy.Policy.Defaults.For(Direction.Out) switch
        {
            DefaultPolicy.Allow => "default outgoing policy (allow)",
            DefaultPolicy.Deny => "default outgoing policy (deny)",
            DefaultPolicy.Reject => "default outgoing policy (reject)",
            var other => $"default outgoing policy ({other.ToString().ToLowerInvariant()})",
        },
        DecisionReason.Loopback => "loopback",
        DecisionReason.IcmpEssential => "essential ICMP",
        DecisionReason.Dhcp => "DHCP",
        _ => decision.Reason.ToString(),
    };
}

using System.Net;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Linux.ProcFs;
using Outgate.Policy;

namespace Outgate.Daemon.Simulation;

/// <summary>
/// Judges recorded connections against one candidate the way the daemon would in enforce mode: rules about programs
/// first, then the static rules and the default outgoing policy (<see cref="ConnectionDecider"/>). The name DNS gave
/// the address when it was recorded stands in for the live name book. Hash-pinned rules see the executable's hash as
/// it is now (events do not record it), computed once per path.
/// </summary>
public sealed class CandidateJudge
{
    private readonly PolicySnapshot _snapshot;
    private readonly DateTimeOffset _now;
    private readonly Func<string, string?> _hash;
    private readonly Dictionary<string, string?> _hashes = new(StringComparer.Ordinal);
    private readonly bool _pinned;
    private readonly Dictionary<(string, string, int?, string?), (PacketFacts, Decision)?> _destinations = [];

    public CandidateJudge(FirewallPolicy policy, DateTimeOffset now, Func<string, string?>? hash = null)
    {
        _snapshot = new PolicySnapshot(policy, 1, now, LivePolicy.CurrentBootId);
        _now = now;
        _hash = hash ?? (path => new ExecutableHasher().TryHashSha256(path));
        Used = new bool[policy.Rules.Count];
        _pinned = policy.Rules.Any(r => r.Subject?.Sha256 is not null);
    }

    public FirewallPolicy Policy => _snapshot.Policy;

    /// <summary><c>Used[i]</c>: rule i+1 decided at least one judged connection.</summary>
    public bool[] Used { get; }

    /// <summary>The candidate's verdict on <paramref name="c"/>, or null when the record has no usable address or protocol.</summary>
    public CandidateVerdict? Judge(RecordedConnection c)
    {
        if (Destination(c) is not { } destination) return null;
        var (packet, staticDecision) = destination;
        var process = new ProcessFacts
        {
            ExecutablePath = c.Exe, Sha256 = c.Exe is null ? null : HashOf(c.Exe), Uid = c.Uid ?? 0, UserName = c.User,
            SystemdUnit = c.Unit, ContainerName = c.Container,
        };
        var decision = ConnectionDecider.Decide(_snapshot, DaemonMode.Enforce, packet, process, _now, staticDecision);
        var rule = RuleNumber(decision.DecidedBy);
        if (rule > 0 && rule <= Used.Length) Used[rule - 1] = true;
        return new CandidateVerdict(decision.Outcome == "allow", decision.Outcome, decision.DecidedBy, rule);
    }

    /// <summary>
    /// The packet facts of a destination and the static rules' decision on them, once per destination: the static rules do
    /// not depend on the program, and judging them again for each of hundreds of programs was most of the simulation's CPU.
    /// </summary>
    private (PacketFacts Packet, Decision Static)? Destination(RecordedConnection c)
    {
        if (c.Dst is null || c.Proto is null) return null;
        var key = (c.Proto, c.Dst, c.DstPort, c.Domain);
        if (_destinations.TryGetValue(key, out var known)) return known;
        (PacketFacts, Decision)? result = null;
        if (IPAddress.TryParse(c.Dst, out var dst) && ConnectionExplainer.ProtocolNumber(c.Proto) >= 0)
        {
            var packet = ConnectionExplainer.Facts(c.Proto, dst, c.DstPort ?? 0) with { DestinationNames = c.Domain is { } d ? [d] : null };
            result = (packet, _snapshot.Packets.Decide(packet));
        }
        // Bounded like the recorded groups themselves; past it, destinations are judged without the memo.
        if (_destinations.Count < 1_000_000) _destinations[key] = result;
        return result;
    }

    /// <summary>
    /// The rule <see cref="ConnectionDecider.DescribeRule"/> named ("rule 12: allow out ..."); 0 for defaults and guards.
    /// Read back from the text rather than matching again: a second pass over 1,000 rules doubled the simulation's time.
    /// </summary>
    internal static int RuleNumber(string decidedBy)
    {
        if (!decidedBy.StartsWith("rule ", StringComparison.Ordinal)) return 0;
        var number = 0;
        for (var i = 5; i < decidedBy.Length && char.IsAsciiDigit(decidedBy[i]) && number < 10_000_000; i++) number = number * 10 + (decidedBy[i] - '0');
        return number;
    }

    private string? HashOf(string path)
    {
        if (!_hashes.TryGetValue(path, out var hash))
        {
            // Only pinned rules need a hash; reading every recorded binary would dominate the simulation.
            hash = _pinned ? _hash(path) : null;
            _hashes[path] = hash;
        }
        return hash;
    }
}

/// <summary>What a candidate would do with one recorded connection; <see cref="Rule"/> is 1-based, 0 when a default decided.</summary>
public readonly record struct CandidateVerdict(bool Allowed, string Outcome, string DecidedBy, int Rule);

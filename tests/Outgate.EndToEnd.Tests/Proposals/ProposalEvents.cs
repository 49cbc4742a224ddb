using Outgate.Daemon.Events;
using Outgate.Daemon.Proposals;

namespace Outgate.EndToEnd.Tests.Proposals;

/// <summary>Recorded decisions as the queue writes them, for proposal tests.</summary>
internal static class ProposalEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    public static DaemonEvent Decision(string? exe, string dst, int port, string proto = "tcp", string? domain = null, string? unit = null,
        string? container = null, uint? uid = 1000, string? user = "alice", string verdict = "allow", string? tags = null, int minute = 0) => new()
    {
        Time = T0.AddMinutes(minute),
        Type = EventType.Decision,
        Pid = 4242,
        Exe = exe,
        Uid = uid,
        User = user,
        Unit = unit,
        Container = container,
        Proto = proto,
        Src = dst.Contains(':') ? "fd00::2" : "10.0.0.2",
        SrcPort = 40000 + minute,
        Dst = dst,
        DstPort = port,
        Domain = domain,
        Verdict = verdict,
        Rule = "learn",
        Tags = tags,
    };

    public static DaemonEvent Alert(string? exe, string? dst, int minute, string message = "something odd") => new()
    {
        Time = T0.AddMinutes(minute),
        Type = EventType.Alert,
        Severity = EventSeverity.Warning,
        Exe = exe,
        Dst = dst,
        Message = message,
        Rule = "test-detector",
    };

    public static ProposalSettings Settings(bool hashes = false) => new() { Since = T0.AddDays(-1), Now = T0.AddDays(1), Hashes = hashes };

    public static Proposal Propose(IEnumerable<DaemonEvent> decisions, IEnumerable<DaemonEvent>? alerts = null, bool hashes = false)
        => PolicyProposer.Propose(decisions, alerts ?? [], Settings(hashes));
}

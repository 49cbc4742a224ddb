using Outgate.Policy;

namespace Outgate.Daemon.Decisions;

/// <summary>
/// The daemon's answer for one new connection and what it records about it.
/// <see cref="Verdict"/> goes to the kernel; <see cref="Outcome"/> is what happens to the packet in
/// the end ("allow", "deny", "reject" — for <see cref="AppVerdict.Pass"/> the static rules' verdict);
/// <see cref="DecidedBy"/> names the rule or default ("rule 3: allow out app /usr/bin/curl ...",
/// "default outgoing (deny)", "lockdown mode"). <see cref="Prompt"/>: ask the user first.
/// </summary>
public sealed record ConnectionDecision(
    AppVerdict Verdict,
    string Outcome,
    string DecidedBy,
    bool Prompt,
    DateTimeOffset? ValidUntil,
    IReadOnlyList<Rule> HashMismatches)
{
    /// <summary>Set in learn mode when the policy would have refused what learn mode let through.</summary>
    public string? WouldBe { get; init; }

    /// <summary>The destination name the deciding rule matched (<c>to domain</c>, <c>to list</c>), when one did.</summary>
    public string? MatchedName { get; init; }

    /// <summary>Set when the program is a shell, interpreter or relay tool dialling out (the connect-back detector alerts on it).</summary>
    public Alerts.Detectors.ConnectBackTool? ConnectBack { get; init; }
}

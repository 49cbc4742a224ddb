using System.Net;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Alerts.Detectors;

/// <summary>The connect-back guard in <see cref="ConnectionDecider"/>: what each mode does with a shell dialling out.</summary>
public sealed class ConnectBackDecisionTests
{
    private static readonly DateTimeOffset Now = DetectorRig.T0;
    private static readonly ProcessFacts Bash = new() { Pid = 7, ExecutablePath = "/usr/bin/bash", CommandLine = "bash -i", Uid = 0 };
    private static readonly ProcessFacts Curl = new() { Pid = 8, ExecutablePath = "/usr/bin/curl", Uid = 0 };
    private static readonly PacketFacts Remote = ConnectionExplainer.Facts("tcp", IPAddress.Parse("10.9.0.2"), 4444);

    private static PolicySnapshot Snapshot(AlertSettings? alerts = null, params string[][] rules) =>
        new(DetectorRig.WithAlerts(alerts ?? AlertSettings.Default, rules), 1, Now, null);

    private static ConnectionDecision Decide(PolicySnapshot policy, DaemonMode mode, ProcessFacts process, PacketFacts? packet = null) =>
        ConnectionDecider.Decide(policy, mode, packet ?? Remote, process, Now);

    [Fact]
    public void Enforce_refuses_a_shell_the_default_policy_would_allow()
    {
        var d = Decide(Snapshot(), DaemonMode.Enforce, Bash);
        Assert.Equal(AppVerdict.Deny, d.Verdict);
        Assert.Equal("reject", d.Outcome);
        Assert.StartsWith("connect-back: /usr/bin/bash is a shell; allow it with a rule that names it", d.DecidedBy, StringComparison.Ordinal);
        Assert.NotNull(d.ConnectBack);
    }

    [Fact]
    public void Enforce_lets_other_programs_through_as_before()
    {
        var d = Decide(Snapshot(), DaemonMode.Enforce, Curl);
        Assert.Equal(AppVerdict.Pass, d.Verdict);
        Assert.Equal("allow", d.Outcome);
        Assert.Null(d.ConnectBack);
    }

    [Fact]
    public void A_static_port_rule_is_not_enough()
    {
        var d = Decide(Snapshot(null, ["allow", "out", "4444/tcp"]), DaemonMode.Enforce, Bash);
        Assert.Equal(AppVerdict.Deny, d.Verdict);
    }

    [Fact]
    public void A_program_rule_that_does_not_name_the_tool_is_not_enough()
    {
        var d = Decide(Snapshot(null, ["allow", "out", "user", "root", "to", "any", "port", "4444"]), DaemonMode.Enforce, Bash);
        Assert.Equal(AppVerdict.Deny, d.Verdict);
        Assert.StartsWith("connect-back:", d.DecidedBy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/usr/bin/bash")]
    [InlineData("bash")]
    public void A_program_rule_that_names_the_tool_allows_it(string app)
    {
        var d = Decide(Snapshot(null, ["allow", "out", "app", app, "to", "any", "port", "4444"]), DaemonMode.Enforce, Bash);
        Assert.Equal(AppVerdict.Allow, d.Verdict);
        Assert.StartsWith("rule 1:", d.DecidedBy, StringComparison.Ordinal);
        Assert.NotNull(d.ConnectBack); // still alerted on: an allowed shell dialling out is worth knowing
    }

    [Fact]
    public void A_deny_rule_still_denies()
    {
        var d = Decide(Snapshot(null, ["deny", "out", "user", "0"]), DaemonMode.Enforce, Bash);
        Assert.Equal(AppVerdict.Deny, d.Verdict);
        Assert.StartsWith("rule 1:", d.DecidedBy, StringComparison.Ordinal);
    }

    [Fact]
    public void Interactive_asks_even_when_a_static_rule_allows()
    {
        var d = Decide(Snapshot(null, ["allow", "out", "4444/tcp"]), DaemonMode.Interactive, Bash);
        Assert.True(d.Prompt);
        Assert.Equal("prompt", d.Outcome);
        Assert.StartsWith("connect-back:", d.DecidedBy, StringComparison.Ordinal);
        Assert.False(Decide(Snapshot(null, ["allow", "out", "4444/tcp"]), DaemonMode.Interactive, Curl).Prompt, "curl has the static rule");
    }

    [Fact]
    public void Learn_lets_it_pass_and_marks_it_for_the_alert()
    {
        var d = Decide(Snapshot(), DaemonMode.Learn, Bash);
        Assert.Equal(AppVerdict.Pass, d.Verdict);
        Assert.Equal("allow", d.Outcome);
        Assert.NotNull(d.ConnectBack);
    }

    [Fact]
    public void Lockdown_refuses_it_like_everything_unpinned()
    {
        var d = Decide(Snapshot(), DaemonMode.Lockdown, Bash);
        Assert.Equal(AppVerdict.Deny, d.Verdict);
        Assert.NotNull(d.ConnectBack);
    }

    [Fact]
    public void Block_false_only_alerts()
    {
        var alerts = AlertSettings.Default with { ConnectBack = new ConnectBackSettings { Block = false } };
        var d = Decide(Snapshot(alerts), DaemonMode.Enforce, Bash);
        Assert.Equal(AppVerdict.Pass, d.Verdict);
        Assert.NotNull(d.ConnectBack);
    }

    [Fact]
    public void A_disabled_detector_neither_blocks_nor_alerts()
    {
        var alerts = AlertSettings.Default with { ConnectBack = new ConnectBackSettings { Enabled = false } };
        var d = Decide(Snapshot(alerts), DaemonMode.Enforce, Bash);
        Assert.Equal(AppVerdict.Pass, d.Verdict);
        Assert.Null(d.ConnectBack);
    }

    [Fact]
    public void Loopback_and_dns_lookups_are_not_connect_backs()
    {
        Assert.Null(Decide(Snapshot(), DaemonMode.Enforce, Bash, ConnectionExplainer.Facts("tcp", IPAddress.Loopback, 4444)).ConnectBack);
        var dns = Decide(Snapshot(), DaemonMode.Enforce, Bash, ConnectionExplainer.Facts("udp", IPAddress.Parse("10.9.0.2"), 53));
        Assert.Null(dns.ConnectBack);
        Assert.Equal(AppVerdict.Pass, dns.Verdict);
    }

    [Fact]
    public void Explain_shows_the_same_reason()
    {
        var (decision, lines) = ConnectionExplainer.Explain(Snapshot(), DaemonMode.Enforce, Remote, Bash, Now);
        Assert.Equal(AppVerdict.Deny, decision.Verdict);
        Assert.Contains(lines, l => l.StartsWith("verdict: reject — decided by connect-back: /usr/bin/bash is a shell; allow it with a rule that names it, e.g. outgate allow out app /usr/bin/bash to ...", StringComparison.Ordinal));
    }
}

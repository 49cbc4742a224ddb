namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>An answer received over TCP/53 counts like one over UDP.</summary>
public sealed class DnsOverTcpTests
{
    [Fact]
    public async Task An_answer_over_tcp_allows_the_connection_that_follows()
    {
        await using var lab = await DomainLab.CreateAsync("dtcpq");
        await lab.DenyAllButDnsAsync();
        await lab.RuleAsync("allow", "out", "to", "domain", TestZone.Allowed, "port", "8080");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        var reply = await lab.QueryAsync(TestZone.Allowed, "A", "tcp");
        Assert.Equal([lab.V4(TestZone.AllowedHost)], reply.Addresses);
        // The literal address: no glibc lookup, so only the TCP answer can have allowed it.
        await lab.AssertOpensAsync(lab.V4(TestZone.AllowedHost), 8080, "allowed.test was just resolved over TCP");
    }
}

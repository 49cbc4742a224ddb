using Outgate.EndToEnd.Tests.Decisions;

namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>`allow out app EXE to domain NAME port P`: program and domain must both match; decided by the daemon through the queue.</summary>
public sealed class AppDomainRuleTests
{
    [Fact]
    public async Task Python_is_allowed_to_the_domain_and_bash_to_the_same_name_is_denied()
    {
        await using var lab = await DomainLab.CreateAsync("dapp");
        await lab.DenyAllButDnsAsync();
        await lab.RuleAsync("allow", "out", "app", DecisionLab.Python, "to", "domain", TestZone.Api, "port", "8080");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        await lab.AssertOpensAsync(TestZone.Api, 8080, $"{DecisionLab.Python} is allowed to api.test:8080", expectAddress: lab.V4(TestZone.ApiHost));
        // bash resolves the name through glibc too (/dev/tcp/NAME/PORT), then connects once.
        Assert.False(await lab.Decisions.ConnectAsync(DecisionLab.Bash, 8080, timeoutSeconds: 2, host: TestZone.Api), "bash has no rule for api.test");
        await lab.AssertBlockedAsync(TestZone.Other, 8080, "python's rule names api.test only");

        var denied = await lab.WaitForDecisionAsync("denying bash", e => (string?)e["exe"] == DecisionLab.Bash && (int?)e["dstPort"] == 8080);
        Assert.True((string?)denied["verdict"] != "allow" && (string?)denied["dst"] == lab.V4(TestZone.ApiHost),
            $"bash's connection to api.test's address was denied: {denied.ToJsonString()}");
    }
}

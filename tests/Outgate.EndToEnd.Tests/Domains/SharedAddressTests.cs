namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>Two names answer the same address; only one of them is allowed.</summary>
public sealed class SharedAddressTests
{
    [Fact]
    public async Task An_address_shared_with_an_allowed_name_is_allowed_only_once_that_name_was_resolved()
    {
        await using var lab = await DomainLab.CreateAsync("dshare");
        await lab.DenyAllButDnsAsync();
        await lab.RuleAsync("allow", "out", "to", "domain", TestZone.SharedA, "port", "8080");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();
        var address = lab.V4(TestZone.SharedHost);

        // Resolved only through the name without a rule: still blocked.
        await lab.AssertBlockedAsync(TestZone.SharedB, 8080, "shared-b.test has no rule, even though its address is shared-a.test's");

        // The allowed name resolves; then the other name answers the same address again. The later
        // answer must not replace the earlier one (address -> names, not address -> last name).
        Assert.Equal([address], await lab.LookupAsync(TestZone.SharedA));
        Assert.Equal([address], await lab.LookupAsync(TestZone.SharedB));
        await lab.AssertOpensAsync(address, 8080, "shared-a.test was resolved to this address and is allowed");
        var decision = await lab.WaitForDecisionAsync($"allowing {address}:8080",
            e => (string?)e["dst"] == address && (int?)e["dstPort"] == 8080 && (string?)e["verdict"] == "allow");
        Assert.True((string?)decision["domain"] == TestZone.SharedA, $"the allow names the domain whose rule matched: {decision.ToJsonString()}");
    }
}

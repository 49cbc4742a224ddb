using Outgate.EndToEnd.Tests.Decisions;

namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>
/// Addresses learnt from DNS are allowed for the record's TTL plus `dns-grace`, then leave the
/// allow set; a new lookup brings them back. dnsmasq answers with TTL 1 s, so expiry is seen quickly.
/// </summary>
public sealed class DomainExpiryTests
{
    [Fact]
    public async Task Access_ends_after_ttl_plus_grace_and_a_new_lookup_restores_it()
    {
        await using var lab = await DomainLab.CreateAsync("dexp");
        await lab.DenyAllButDnsAsync();
        await lab.RuleAsync("allow", "out", "to", "domain", TestZone.Allowed, "port", "8080");
        await lab.SetPolicyKeysAsync("dns-grace = \"1s\"");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        var address = lab.V4(TestZone.AllowedHost);
        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "just resolved", expectAddress: address);

        // TTL 1 s + grace 1 s: the address must drop out. Connect to the literal (no new lookup)
        // every ~0.5 s for at most 15 s; 30 attempts bound the loop whatever the timing.
        var tries = new List<string>();
        var closed = false;
        var started = DateTime.UtcNow;
        for (var i = 0; i < 30 && DateTime.UtcNow - started < TimeSpan.FromSeconds(15) && !closed; i++)
        {
            var o = await lab.ConnectOnceAsync(address, 8080, timeoutSeconds: 1);
            tries.Add($"{(DateTime.UtcNow - started).TotalSeconds:F1}s {(o.Open ? "open" : "blocked")}");
            closed = !o.Open;
            if (!closed) await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        Assert.True(closed, await lab.DiagnoseAsync($"{address}:8080 stayed reachable for 15 s after one lookup with TTL 1 s and dns-grace 1s", string.Join('\n', tries)));

        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "a new lookup puts the address back", expectAddress: address);
    }

    [Fact]
    public async Task After_the_answer_changes_old_and_new_addresses_are_both_allowed_within_their_ttl()
    {
        await using var lab = await DomainLab.CreateAsync("dchurn");
        await lab.DenyAllButDnsAsync();
        await lab.RuleAsync("allow", "out", "to", "domain", TestZone.Churn, "port", "8080");
        // A 10 s grace keeps the first answer's address allowed while the test changes the zone
        // (on a loaded 2-vCPU machine that takes a few hundred ms; TTL 1 s alone would make the test flaky).
        await lab.SetPolicyKeysAsync("dns-grace = \"10s\"");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        var before = lab.V4(TestZone.ChurnOldHost);
        var after = lab.V4(TestZone.ChurnNewHost);
        Assert.Equal([before], await lab.LookupAsync(TestZone.Churn));
        await lab.Dns.ReplaceHostsFileAsync(TestZone.ChurnHostsFile, TestZone.ChurnedHostsFile(lab.V4)); // CDN churn: same name, new address
        await lab.AssertOpensAsync(TestZone.Churn, 8080, "the new answer is allowed", expectAddress: after);
        await lab.AssertOpensAsync(before, 8080, "the previous answer is still within TTL + grace");
        await lab.AssertOpensAsync(after, 8080, "the new answer by address");
        var other = await lab.ConnectOnceAsync(lab.V4(TestZone.OtherHost), 8080);
        Assert.False(other.Open, await lab.DiagnoseAsync("an address never answered for churn.test stays blocked", other.ToString()));
    }
}

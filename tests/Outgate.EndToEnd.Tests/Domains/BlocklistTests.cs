namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>`deny out to list FILE` with `default allow outgoing`: listed names (hosts, plain and adblock lines) are blocked.</summary>
public sealed class BlocklistTests
{
    [Fact]
    public async Task Listed_names_are_blocked_in_every_list_format_and_unlisted_names_pass()
    {
        await using var lab = await DomainLab.CreateAsync("dblk");
        var list = Path.Combine(lab.Decisions.Cli.Root, "ads.txt");
        await File.WriteAllTextAsync(list, TestZone.Blocklist, TestContext.Current.CancellationToken);
        await lab.RuleAsync("default", "allow", "outgoing");
        await lab.RuleAsync("deny", "out", "to", "list", list);
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        await lab.AssertOpensAsync(TestZone.Fine, 8080, "fine.test is not listed: default allow outgoing");
        await lab.AssertBlockedAsync(TestZone.Ads, 8080, "ads.test is listed as a hosts line (0.0.0.0 ads.test)");
        await lab.AssertBlockedAsync(TestZone.Tracker, 8080, "tracker.test is listed as a plain line");
        await lab.AssertBlockedAsync(TestZone.Evil, 8080, "evil.test is listed as an adblock rule (||evil.test^)");
        await lab.AssertBlockedAsync(TestZone.Ads, 443, "a listed name is blocked on every port");
    }
}

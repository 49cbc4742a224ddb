using Outgate.EndToEnd.Tests.Rules;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Bundles;

/// <summary>
/// <c>outgate apply</c> on an enabled firewall, inside a namespace lab: a verified bundle is loaded like <c>reload</c>;
/// a tampered one leaves both the kernel table and the files alone.
/// </summary>
public sealed class ApplyKernelTests
{
    [Fact]
    public async Task An_applied_bundle_replaces_the_running_ruleset_and_a_tampered_one_changes_nothing()
    {
        await using var f = await FirewallLab.CreateAsync("bnd");
        await f.RunAllAsync("default deny outgoing", "allow out 80");
        await f.Cli.OkAsync("enable");

        var source = Directory.CreateDirectory(Path.Combine(f.Cli.Root, "reviewed")).FullName;
        File.WriteAllText(Path.Combine(source, "outgate.toml"), "[defaults]\noutgoing = \"deny\"\n");
        Directory.CreateDirectory(Path.Combine(source, "rules.d"));
        File.WriteAllText(Path.Combine(source, "rules.d", "10-web.toml"), "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"443\"\nproto = \"tcp\"\n");
        var bundle = Path.Combine(f.Cli.Root, "reviewed.bundle");
        var export = await OutgateCli.RunAsync(null, "--config-dir", source, "export", "--output", bundle);
        Assert.True(export.ExitCode == 0, export.ToString());

        var check = await f.Cli.RunAsync($"apply {bundle} --check");
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains("- allow out 80", check.StdOut);
        Assert.Contains("+ allow out 443/tcp", check.StdOut);
        Assert.Contains("th dport 80", await f.TableTextAsync());

        var tampered = Path.Combine(f.Cli.Root, "tampered.bundle");
        File.WriteAllText(tampered, File.ReadAllText(bundle).Replace("443", "22"));
        var refused = await f.Cli.RunAsync($"apply {tampered}");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("th dport 80", await f.TableTextAsync());

        var applied = await f.Cli.RunAsync($"apply {bundle}");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("firewall reloaded", applied.StdOut);
        var table = await f.TableTextAsync();
        Assert.Contains("tcp dport 443", table);
        Assert.DoesNotContain("th dport 80", table);
        Assert.Contains("Policy bundle: sha256", await f.Cli.OkAsync("status"));
        await f.Lab.AssertReachableExactlyAsync("bundle applied", ReachabilityLab.Both("tcp", 443));

        Assert.Equal(0, (await f.Cli.RunAsync($"apply {bundle} --check")).ExitCode);
    }
}

using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Invalid policy files never replace the running ruleset.</summary>
public class BadPolicyTests
{
    [Fact]
    public async Task A_broken_policy_file_is_refused_and_the_running_table_stays()
    {
        await using var f = await FirewallLab.CreateAsync("bad");
        await f.RunAllAsync("default deny outgoing", "allow out 80", "enable");
        var before = await f.TableTextAsync();
        Directory.CreateDirectory(Path.Combine(f.Cli.ConfigDir, "rules.d"));
        await File.WriteAllTextAsync(Path.Combine(f.Cli.ConfigDir, "rules.d", "broken.toml"), "[[rule]\naction = \"allow\"\nport = 70000\n", TestContext.Current.CancellationToken);
        var reload = await f.Cli.RunAsync("reload");
        Assert.Equal(1, reload.ExitCode);
        Assert.Contains("broken.toml:", reload.StdErr);
        Assert.Equal(before, await f.TableTextAsync());
        var add = await f.Cli.RunAsync("allow out 443");
        Assert.Equal(1, add.ExitCode);
        Assert.Equal(before, await f.TableTextAsync());
        await f.Lab.AssertReachableExactlyAsync("the previous ruleset still runs", ReachabilityLab.Both("tcp", 80));
    }
}

using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>What must never go wrong: established sessions, other tables, bad input, rollback, panic.</summary>
public class SafetyTests
{
    [Fact]
    public async Task An_established_session_survives_enable_with_default_deny_outgoing()
    {
        await using var f = await FirewallLab.CreateAsync("ssh");
        var session = await f.Lab.OpenSessionAsync(22);
        Assert.True(await session.PingAsync());
        await f.RunAllAsync("default deny outgoing", "default deny incoming", "enable");
        await f.Lab.AssertReachableExactlyAsync("new connections are blocked");
        Assert.True(await session.PingAsync(), "the established session was cut by enable");
        await f.Cli.OkAsync("reload");
        Assert.True(await session.PingAsync(), "the established session was cut by reload");
    }

    [Fact]
    public async Task Other_tables_and_iptables_rules_survive_enable_reload_disable_and_reset()
    {
        await using var f = await FirewallLab.CreateAsync("coex");
        await f.Lab.Client.ExecCheckedAsync("iptables", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-m", "conntrack", "--ctstate", "NEW", "-j", "DROP");
        await f.Lab.Client.ExecCheckedAsync("nft", "add table inet other; add chain inet other c { type filter hook output priority 10; }; add set inet other s { type ipv4_addr; }; add rule inet other c ip daddr @s counter drop");
        async Task<string> Others() => (await f.Lab.Client.ExecCheckedAsync("iptables", "-S")).StdOut + await f.TableTextAsync("other");
        var before = await Others();
        await f.RunAllAsync("default deny outgoing", "allow out 80", "enable");
        Assert.Equal(before, await Others());
        await f.RunAllAsync("reload", "allow out 443");
        Assert.Equal(before, await Others());
        await f.RunAllAsync("disable");
        Assert.Null(await f.TableTextAsync());
        Assert.Equal(before, await Others());
        await f.RunAllAsync("enable", "--force reset");
        Assert.Equal(before, await Others());
    }

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

    [Fact]
    public async Task Bad_command_lines_exit_1_with_the_offending_token_and_change_nothing()
    {
        await using var f = await FirewallLab.CreateAsync("args");
        foreach (var line in new[] { "allow out 70000", "allow out to 10.0.0.300", "allow out proto bogus to any port 80", "default deny sideways", "logging loud", "delete 7", "allow out --frobnicate 80" })
        {
            var r = await f.Cli.RunAsync(line);
            Assert.True(r.ExitCode == 1, $"outgate {line}: {r}");
            Assert.False(string.IsNullOrWhiteSpace(r.StdErr), $"outgate {line} printed no error: {r}");
        }
        Assert.False(File.Exists(Path.Combine(f.Cli.ConfigDir, "outgate.toml")) && (await File.ReadAllTextAsync(Path.Combine(f.Cli.ConfigDir, "outgate.toml"), TestContext.Current.CancellationToken)).Contains("70000"));
        Assert.Null(await f.TableTextAsync());
    }

    [Fact]
    public async Task Dry_run_prints_the_ruleset_and_changes_nothing()
    {
        await using var f = await FirewallLab.CreateAsync("dry");
        var text = await f.Cli.OkAsync("--dry-run enable");
        Assert.Contains("table inet outgate", text);
        Assert.Null(await f.TableTextAsync());
        var allow = await f.Cli.OkAsync("allow out 443/tcp --dry-run");
        Assert.Contains("443", allow);
        Assert.False(File.Exists(Path.Combine(f.Cli.ConfigDir, "outgate.toml")) && (await File.ReadAllTextAsync(Path.Combine(f.Cli.ConfigDir, "outgate.toml"), TestContext.Current.CancellationToken)).Contains("443"));
    }

    [Fact]
    public async Task Not_root_gets_exit_code_2_and_a_hint()
    {
        NetworkNamespace.SkipUnlessRoot();
        var dir = Directory.CreateTempSubdirectory("og-noroot-").FullName;
        try
        {
            var r = await Shell.RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", OutgateCli.Dll, "--config-dir", dir, "--state-dir", dir, "panic", "on"],
                env: new Dictionary<string, string> { ["HOME"] = "/tmp", ["DOTNET_CLI_HOME"] = "/tmp" });
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains("you need to be root", r.StdErr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Bad command lines, dry runs and missing privileges: clear errors, exit codes, nothing changed.</summary>
public class BadInputTests
{
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

using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Logging levels and re-enabling change the loaded table at once.</summary>
public class LoggingTests
{
    [Fact]
    public async Task Logging_levels_apply_immediately_and_enable_when_enabled_reloads()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("log");
        using var cli = new OutgateCli(ns);
        async Task<string> Table() => (await ns.ExecCheckedAsync("nft", "list", "table", "inet", "outgate")).StdOut;

        await cli.OkAsync("default deny outgoing");
        Assert.Contains("Firewall is active and enabled on system startup", await cli.OkAsync("enable"));
        Assert.Contains("Logging disabled", await cli.OkAsync("logging off"));
        Assert.DoesNotContain(" log ", await Table());
        Assert.Contains("Logging enabled", await cli.OkAsync("logging medium"));
        Assert.Contains("log prefix", await Table());
        Assert.Contains("Logging: on (medium)", await cli.OkAsync("status verbose"));

        // A hand edit of the file is picked up by `enable` again (ufw: enable when enabled reloads).
        var toml = Path.Combine(cli.ConfigDir, "outgate.toml");
        await File.AppendAllTextAsync(toml, "\n[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = 8443\n", TestContext.Current.CancellationToken);
        Assert.Contains("Kernel ruleset differs", await cli.OkAsync("status"));
        await cli.OkAsync("enable");
        Assert.Contains("8443", await Table());
        Assert.DoesNotContain("differs", await cli.OkAsync("status"));
    }
}

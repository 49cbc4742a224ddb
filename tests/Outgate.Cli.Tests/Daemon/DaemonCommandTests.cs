using Outgate.Cli.Daemon;

namespace Outgate.Cli.Tests.Daemon;

/// <summary>
/// `outgate daemon` execs outgated, which would replace the test process, so only the lookup and
/// the argument pass-through are tested here; the exec itself belongs in the end-to-end tests.
/// </summary>
public class DaemonCommandTests
{
    [Fact]
    public void The_outgated_beside_the_cli_wins_over_path()
    {
        var launch = OutgatedLocator.Find("/opt/outgate", "/opt/outgate/outgate", "/usr/bin", p => p is "/opt/outgate/outgated" or "/usr/bin/outgated");
        Assert.Equal(new OutgatedLaunch("/opt/outgate/outgated", []).Program, launch!.Program);
        Assert.Empty(launch.LeadingArguments);
    }

    [Fact]
    public void Path_is_searched_in_order_and_relative_entries_are_skipped()
    {
        var launch = OutgatedLocator.Find("/opt/outgate", "/opt/outgate/outgate", ".:/usr/local/bin:/usr/bin", p => p is "outgated" or "/usr/bin/outgated" or "/usr/local/bin/outgated");
        Assert.Equal("/usr/local/bin/outgated", launch!.Program);
    }

    [Fact]
    public void A_framework_dependent_build_runs_outgated_dll_under_the_same_dotnet_host()
    {
        var dir = Directory.CreateTempSubdirectory("og-loc-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "outgated.dll"), "");
            var launch = OutgatedLocator.Find(dir.FullName, "/usr/share/dotnet/dotnet", "", _ => false);
            Assert.Equal("/usr/share/dotnet/dotnet", launch!.Program);
            Assert.Equal([Path.Combine(dir.FullName, "outgated.dll")], launch.LeadingArguments);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void Nothing_found_is_null() => Assert.Null(OutgatedLocator.Find("/nonexistent", "/nonexistent/outgate", "/nonexistent/bin", _ => false));

    [Theory]
    [InlineData("daemon --netns lab --config-dir /tmp/c --socket /tmp/s", "--netns lab --config-dir /tmp/c --socket /tmp/s")]
    [InlineData("daemon -- --help", "--help")]
    [InlineData("--config-dir /etc/x daemon --mode enforce", "--mode enforce")]
    [InlineData("daemon", "")]
    public void Everything_after_daemon_is_passed_through_in_order(string commandLine, string expected)
    {
        var root = OutgateCommandLine.Build();
        var parse = root.Parse(commandLine.Split(' '));
        Assert.Empty(parse.Errors);
        var daemon = root.Subcommands.Single(c => c.Name == "daemon");
        Assert.Equal(expected, string.Join(' ', DaemonCommand.PassThrough(parse, daemon)));
    }
}

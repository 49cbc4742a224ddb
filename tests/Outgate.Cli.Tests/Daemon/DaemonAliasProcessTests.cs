using Outgate.Testing;

namespace Outgate.Cli.Tests.Daemon;

/// <summary>
/// `outgate daemon` run as a real process (outgate.dll next to this assembly, no outgated beside it),
/// so PATH decides: a stand-in outgated script shows what it was given and how it ended.
/// </summary>
public class DaemonAliasProcessTests
{
    [Fact]
    public async Task Outgate_daemon_becomes_the_outgated_on_path_with_the_arguments_and_its_exit_code()
    {
        var dir = Directory.CreateTempSubdirectory("og-alias-");
        try
        {
            var script = Path.Combine(dir.FullName, "outgated");
            await File.WriteAllTextAsync(script, "#!/bin/sh\necho \"outgated got: $*\"\nexit 7\n", TestContext.Current.CancellationToken);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var r = await OutgateCli.RunAsync(null, ["daemon", "--netns", "lab", "--config-dir", "/tmp/og-c", "--socket", "/tmp/og.sock"],
                env: new Dictionary<string, string> { ["PATH"] = dir.FullName + ":/usr/bin:/bin" });

            Assert.True(r.ExitCode == 7, r.ToString());
            Assert.Equal("outgated got: --netns lab --config-dir /tmp/og-c --socket /tmp/og.sock", r.StdOut.Trim());
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public async Task Outgate_daemon_without_any_outgated_exits_127_and_says_where_it_looked()
    {
        var r = await OutgateCli.RunAsync(null, ["daemon"], env: new Dictionary<string, string> { ["PATH"] = "/nonexistent" });
        Assert.True(r.ExitCode == 127, r.ToString());
        Assert.Contains("outgate daemon: cannot find outgated: it is neither next to outgate (", r.StdErr);
        Assert.Contains("nor on PATH", r.StdErr);
    }
}

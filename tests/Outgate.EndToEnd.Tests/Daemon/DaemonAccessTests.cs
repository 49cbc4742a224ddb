using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Daemon;

public class DaemonAccessTests
{
    private const uint Nobody = 65534;

    [Fact]
    public async Task Non_member_gets_403_with_the_group_hint_while_root_succeeds()
    {
        NetworkNamespace.SkipUnlessRoot(); // setpriv needs root
        await using var daemon = await OutgateDaemon.StartAsync();

        // Without the outgate group the socket is 0600: the kernel already refuses other users.
        var refused = await OutgateCli.RunAsync(null, ["mode", "--socket", daemon.SocketPath], asUid: Nobody);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("permission denied", refused.StdErr);
        Assert.Contains("sudo usermod -aG outgate $USER", refused.StdErr);

        // Opened up (a misconfiguration, or a bind mount): the daemon's own SO_PEERCRED check still refuses.
        File.SetUnixFileMode(daemon.SocketPath, (UnixFileMode)0x1B6); // 0666
        var denied = await OutgateCli.RunAsync(null, ["mode", "enforce", "--socket", daemon.SocketPath], asUid: Nobody);
        Assert.True(denied.ExitCode == 2, denied.ToString());
        Assert.Contains("user nobody (uid 65534) is not root and not in the outgate group", denied.StdErr);
        Assert.Contains("usermod -aG outgate $USER", denied.StdErr);
        var log = await OutgateCli.RunAsync(null, ["log", "--socket", daemon.SocketPath], asUid: Nobody);
        Assert.Equal(2, log.ExitCode);

        var root = await daemon.CliAsync("mode", "enforce");
        Assert.True(root.ExitCode == 0, root.ToString());
        Assert.Equal("enforce", (await daemon.CliAsync("mode")).StdOut.Trim());
        Assert.Contains("Denied API access to pid", daemon.Output);
    }

    [Fact]
    public async Task A_member_of_the_access_group_gets_in()
    {
        NetworkNamespace.SkipUnlessRoot();
        // "nogroup" (gid 65534) stands in for "outgate" so the host's group database is not touched.
        await using var daemon = await OutgateDaemon.StartAsync(["--access-group", "nogroup"]);
        var member = await OutgateCli.RunAsync(null, ["mode", "--socket", daemon.SocketPath], asUid: Nobody);
        Assert.True(member.ExitCode == 0, member.ToString() + daemon.Output);
        Assert.Equal("learn", member.StdOut.Trim());
        Assert.Contains("0660 group nogroup", daemon.Output);
    }
}

using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Bundles;

/// <summary>
/// <c>outgate enforce --confirm-within</c> against a real outgated (<c>--no-kernel</c>: the mode lives in the API, no
/// namespace needed). The CLI gets its own --config-dir/--state-dir so the watcher's marker never lands in /var/lib/outgate.
/// </summary>
public sealed class EnforceConfirmTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Task<ShellResult> Cli(OutgateDaemon daemon, params string[] args) =>
        daemon.CliAsync(["--config-dir", Path.Combine(daemon.Root, "cli-config"), "--state-dir", Path.Combine(daemon.Root, "cli-state"), .. args]);

    /// <summary><c>outgate confirm</c> takes no --socket: it only claims the marker the watcher waits on.</summary>
    private static Task<ShellResult> ConfirmAsync(OutgateDaemon daemon) =>
        OutgateCli.RunAsync(null, "--config-dir", Path.Combine(daemon.Root, "cli-config"), "--state-dir", Path.Combine(daemon.Root, "cli-state"), "confirm");

    private static async Task<string> ModeAsync(OutgateDaemon daemon) => (await daemon.CliAsync("mode")).StdOut.Trim();

    private static string RollbackLog(OutgateDaemon daemon)
    {
        var path = Path.Combine(daemon.Root, "cli-state", "rollback.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    [Fact]
    public async Task Without_confirm_the_mode_returns_to_learn_after_the_deadline()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        Assert.Equal("learn", await ModeAsync(daemon));

        var enforce = await Cli(daemon, "enforce", "--confirm-within", "10s"); // room for the CLI runs below on a loaded host
        Assert.True(enforce.ExitCode == 0, enforce.ToString());
        Assert.Contains("Mode switched from learn to enforce", enforce.StdOut);
        Assert.Contains("outgate confirm", enforce.StdOut);
        Assert.Equal("enforce", await ModeAsync(daemon));

        var until = DateTime.UtcNow + Patience;
        var mode = "enforce";
        while (mode != "learn" && DateTime.UtcNow < until)
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
            mode = await ModeAsync(daemon);
        }
        Assert.True(mode == "learn", $"mode is still {mode}; rollback.log:\n{RollbackLog(daemon)}");
        Assert.Contains("mode switched back from enforce to learn", RollbackLog(daemon));
        Assert.Equal(1, (await ConfirmAsync(daemon)).ExitCode); // nothing left to confirm
    }

    [Fact]
    public async Task With_confirm_in_time_the_mode_stays_enforce()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        // Long enough for two CLI runs on a loaded CI host; the watcher reacts to the confirm at once, not at the deadline.
        var enforce = await Cli(daemon, "enforce", "--confirm-within", "60s");
        Assert.True(enforce.ExitCode == 0, enforce.ToString());

        var status = await OutgateCli.RunAsync(null, "--config-dir", Path.Combine(daemon.Root, "cli-config"), "--state-dir", Path.Combine(daemon.Root, "cli-state"), "status", "--socket", daemon.SocketPath);
        Assert.Contains("A switch to enforce mode is waiting for `outgate confirm`", status.StdOut);

        var confirm = await ConfirmAsync(daemon);
        Assert.True(confirm.ExitCode == 0, confirm.ToString());
        Assert.Contains("Mode change confirmed", confirm.StdOut);

        // Wait until the watcher has seen the confirmation (it logs and exits), then past the deadline.
        var until = DateTime.UtcNow + Patience;
        while (!RollbackLog(daemon).Contains("confirmed", StringComparison.Ordinal) && DateTime.UtcNow < until)
            await Task.Delay(250, TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Contains("mode change confirmed; no rollback", RollbackLog(daemon));
        Assert.Equal("enforce", await ModeAsync(daemon));
    }

    [Fact]
    public async Task Plain_enforce_switches_without_a_watcher_and_says_when_already_enforcing()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        var first = await Cli(daemon, "enforce");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("enforce", await ModeAsync(daemon));
        Assert.False(File.Exists(Path.Combine(daemon.Root, "cli-state", "mode-confirm-by")));
        var second = await Cli(daemon, "enforce", "--confirm-within", "2s");
        Assert.Contains("Mode is already enforce", second.StdOut);
        Assert.False(File.Exists(Path.Combine(daemon.Root, "cli-state", "mode-confirm-by")));
    }

    [Fact]
    public async Task Enforce_without_a_daemon_fails_with_exit_2()
    {
        var root = OutgateDaemon.CreateRoot();
        try
        {
            var r = await OutgateCli.RunAsync(null, "--config-dir", Path.Combine(root, "c"), "--state-dir", Path.Combine(root, "s"), "enforce", "--confirm-within", "5s", "--socket", Path.Combine(root, "none.sock"));
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("outgate enforce:", r.StdErr);
            Assert.False(File.Exists(Path.Combine(root, "s", "mode-confirm-by")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

namespace Outgate.EndToEnd.Tests.Alerts;

public sealed class NewAppAlertTests
{
    [Fact]
    public async Task A_new_executable_raises_new_app_once_and_is_remembered_across_a_restart()
    {
        await using var lab = await AlertLab.CreateAsync("new");
        await lab.Decisions.CliOkAsync("enable");
        await lab.Decisions.StartDaemonAsync("--mode", "learn");
        var copy = Path.Combine(lab.Dir, "python3");
        File.Copy("/usr/bin/python3", copy);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        string[] connect = [copy, "-c", $"import socket; socket.create_connection(('{lab.Peer}', 80), timeout=3).close()"];

        for (var i = 0; i < 3; i++) await lab.RunAsync(5, connect);
        var alert = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "new-app" && AlertLab.Text(a, "exe") == copy);
        Assert.True(alert is not null, "no new-app alert for the copied interpreter: " + await lab.DiagnoseAsync());
        Assert.Equal("notice", AlertLab.Text(alert!, "severity"));
        Assert.Contains("sha256=", AlertLab.Text(alert!, "details"), StringComparison.Ordinal);
        Assert.Single(await lab.AlertsAsync(), a => AlertLab.Rule(a) == "new-app" && AlertLab.Text(a, "exe") == copy);

        // Restart: known_apps in events.db remembers it (and the dedup window is gone with the old process).
        await lab.Decisions.Daemon!.DisposeAsync();
        await lab.Decisions.StartDaemonAsync("--mode", "learn");
        await lab.RunAsync(5, connect);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(await lab.AlertsAsync(), a => AlertLab.Rule(a) == "new-app" && AlertLab.Text(a, "exe") == copy);
    }
}

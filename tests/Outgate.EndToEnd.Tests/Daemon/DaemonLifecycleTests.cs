using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Daemon;

public class DaemonLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ShellResult> RunDaemonToExitAsync(string root, params string[] extra) =>
        Shell.RunAsync(OutgateCli.DotnetPath, [OutgateDaemon.DllPath, .. OutgateDaemon.PathArguments(root), .. extra], timeout: TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_second_daemon_on_the_same_socket_refuses_to_start()
    {
        await using var first = await OutgateDaemon.StartAsync();
        var second = await Shell.RunAsync(OutgateCli.DotnetPath,
            [OutgateDaemon.DllPath, "--socket", first.SocketPath, "--state-dir", Path.Combine(first.Root, "state2"), "--config-dir", first.ConfigDir],
            timeout: TimeSpan.FromSeconds(30));
        Assert.True(second.ExitCode == 3, second.ToString());
        Assert.Contains($"another outgated is already running on {first.SocketPath}", second.StdErr);
        // The first one is unharmed.
        Assert.Contains("\"health\":\"ok\"", await first.GetStringAsync("v1/status", Ct));
    }

    [Fact]
    public async Task A_stale_socket_left_by_a_killed_daemon_is_replaced()
    {
        var root = OutgateDaemon.CreateRoot();
        await using var killed = await OutgateDaemon.StartAsync(root: root);
        await killed.StopAsync(signal: 9); // SIGKILL: no cleanup runs
        Assert.True(File.Exists(killed.SocketPath), "SIGKILL leaves the socket file behind");

        await using var next = await OutgateDaemon.StartAsync(root: root);
        Assert.Contains("Removed a stale API socket", next.Output);
        Assert.Contains("\"health\":\"ok\"", await next.GetStringAsync("v1/status", Ct));
    }

    [Fact]
    public async Task Sigterm_stops_the_daemon_cleanly_and_writes_its_last_events()
    {
        var daemon = await OutgateDaemon.StartAsync();
        try
        {
            using (var r = await daemon.PostJsonAsync("v1/mode", """{"mode":"interactive"}""", Ct)) r.EnsureSuccessStatusCode();
            var exit = await daemon.StopAsync();
            Assert.True(exit == 0, daemon.Output);
            Assert.False(File.Exists(daemon.SocketPath), "the socket file is removed on a clean stop");
            Assert.Contains("Event writer stopped", daemon.Output);

            using var db = new SqliteConnection($"Data Source={daemon.EventDatabase};Mode=ReadOnly;Pooling=false");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT type || ':' || message FROM events ORDER BY id";
            var rows = new List<string>();
            using (var reader = cmd.ExecuteReader()) while (reader.Read()) rows.Add(reader.GetString(0));
            Assert.Equal(3, rows.Count);
            Assert.StartsWith("daemon:outgated 0.1.0 started", rows[0]);
            Assert.Equal("mode-change:mode switched from learn to interactive", rows[1]);
            Assert.StartsWith("daemon:outgated stopping", rows[2]);
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }

    [Fact]
    public async Task Bad_options_exit_2_with_every_error()
    {
        var root = OutgateDaemon.CreateRoot();
        try
        {
            var r = await RunDaemonToExitAsync(root, "--mode", "permissive", "--netns", "og-does-not-exist");
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains("unknown --mode 'permissive'", r.StdErr);
            var r2 = await RunDaemonToExitAsync(root, "--netns", "og-does-not-exist");
            Assert.Equal(2, r2.ExitCode);
            Assert.Contains("/run/netns/og-does-not-exist does not exist", r2.StdErr);
            Assert.Contains("ip netns add og-does-not-exist", r2.StdErr);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Serves_another_network_namespace_while_staying_in_its_own()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("dmn");
        await using var daemon = await OutgateDaemon.StartAsync(["--netns", ns.Name]);
        using var doc = JsonDocument.Parse(await daemon.GetStringAsync("v1/status", Ct));
        Assert.Equal(ns.Name, doc.RootElement.GetProperty("netns").GetString());
        // The daemon process itself stays in the test's (initial) namespace.
        Assert.Equal(new FileInfo("/proc/self/ns/net").LinkTarget, new FileInfo($"/proc/{daemon.Pid}/ns/net").LinkTarget);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.Dashboard.Tests;

/// <summary>The listener itself: a taken port does not stop the daemon, --web off, loopback only, status and CLI output.</summary>
public sealed class DashboardListenerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_taken_port_leaves_the_daemon_running_with_the_reason_in_status_and_health_degraded()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        await using var daemon = await OutgateDaemon.StartAsync(["--web", $"127.0.0.1:{port}"]);
        var status = JsonNode.Parse(await daemon.GetStringAsync("v1/status", Ct))!;
        Assert.StartsWith("not running: ", (string)status["dashboard"]!);
        Assert.Contains($"127.0.0.1:{port} is in use", (string)status["dashboard"]!);
        Assert.Equal("degraded", (string)status["health"]!);
        Assert.Contains(status["healthReasons"]!.AsArray(), r => ((string)r!).StartsWith("dashboard not running", StringComparison.Ordinal));

        Assert.Contains("Dashboard: not running: ", await StatusTextAsync(daemon));
        var dashboard = await daemon.CliAsync("dashboard");
        Assert.Equal(2, dashboard.ExitCode);
        Assert.Contains("not running", dashboard.StdOut);
    }

    [Fact]
    public async Task Web_off_serves_no_dashboard_and_stays_healthy()
    {
        await using var daemon = await OutgateDaemon.StartAsync(["--web", "off"]);
        var status = JsonNode.Parse(await daemon.GetStringAsync("v1/status", Ct))!;
        Assert.Equal("off", (string)status["dashboard"]!);
        Assert.Equal("ok", (string)status["health"]!);
        Assert.False(File.Exists(Path.Combine(daemon.StateDir, "dashboard-token")), "no token is made for a dashboard that is off");
    }

    [Fact]
    public async Task Port_zero_binds_a_free_port_that_status_and_outgate_dashboard_report()
    {
        await using var daemon = await OutgateDaemon.StartAsync(["--web", "127.0.0.1:0"]);
        var url = (string)JsonNode.Parse(await daemon.GetStringAsync("v1/status", Ct))!["dashboard"]!;
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", url);
        Assert.DoesNotContain(":0/", url);

        var text = await daemon.CliAsync("dashboard");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"Dashboard: {url}", text.StdOut);
        Assert.Contains($"{url}login#token=", text.StdOut);
        var json = JsonNode.Parse((await daemon.CliAsync("dashboard", "--json")).StdOut)!;
        Assert.Equal(url, (string)json["url"]!);
        Assert.Contains($"Dashboard: {url}", await StatusTextAsync(daemon));
    }

    /// <summary>`outgate status`, asked again when the daemon part timed out (status waits only briefly for outgated; the machine may be busy with browsers).</summary>
    private static async Task<string> StatusTextAsync(OutgateDaemon daemon)
    {
        var text = "";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var r = await daemon.CliAsync("status");
            text = r.StdOut + r.StdErr;
            if (!text.Contains("Daemon: not reachable", StringComparison.Ordinal)) break;
            await Task.Delay(500, Ct);
        }
        return text;
    }

    [Fact]
    public async Task A_non_loopback_address_is_refused_at_start()
    {
        var r = await Shell.RunAsync(OutgateCli.DotnetPath, [OutgateDaemon.DllPath, "--web", "0.0.0.0:9474", "--no-kernel", "--socket", "/tmp/og-never.sock"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not a loopback address", r.StdErr);
    }
}

using System.Text.Json.Nodes;
using Outgate.EndToEnd.Tests.Decisions;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Fleet;

/// <summary>
/// One daemon with --no-kernel (host namespace, no firewall changes) and a private PostgreSQL: shipping, status,
/// heartbeat, and the clear refusals (no database, fleet.conf too open). Events come from mode switches through the API.
/// </summary>
public sealed class FleetApiTests
{
    [Fact]
    public async Task Daemon_without_fleet_database_says_so_in_status_and_every_fleet_command()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        var status = await daemon.CliAsync("fleet", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Fleet shipping is off: no fleet database configured", status.StdOut);
        foreach (var sub in new[] { "hosts", "top", "alerts" })
        {
            var r = await daemon.CliAsync("fleet", sub);
            Assert.True(r.ExitCode == 3, $"fleet {sub}: {r}");
            Assert.Contains($"outgate fleet {sub}: this outgated has no fleet database", r.StdErr);
            Assert.Contains("fleet.conf", r.StdErr);
        }
        var usage = await daemon.CliAsync("fleet", "search");
        Assert.True(usage.ExitCode == 1, usage.ToString());
        Assert.Contains("give one of --domain, --dst, --app", usage.StdErr);
    }

    [Fact]
    public async Task Fleet_conf_readable_by_others_is_refused_with_the_fix()
    {
        var root = OutgateDaemon.CreateRoot();
        var config = Path.Combine(root, "config");
        Directory.CreateDirectory(config);
        var conf = Path.Combine(config, "fleet.conf");
        File.WriteAllText(conf, "# fleet\nHost=127.0.0.1;Port=1;Username=outgate\n");
        File.SetUnixFileMode(conf, (UnixFileMode)0b110_100_100); // 0644
        await using var daemon = await OutgateDaemon.StartAsync(root: root);
        var status = JsonNode.Parse(await daemon.GetStringAsync("v1/fleet/status", TestContext.Current.CancellationToken))!;
        Assert.False(status["configured"]!.GetValue<bool>());
        Assert.Contains("mode 0644", status["lastError"]!.GetValue<string>());
        Assert.Contains($"chmod 600 {conf}", status["lastError"]!.GetValue<string>());
        var hosts = await daemon.CliAsync("fleet", "hosts");
        Assert.Equal(3, hosts.ExitCode);
        Assert.Contains("is not used", hosts.StdErr);
    }

    [Fact]
    public async Task Daemon_ships_its_events_once_and_shows_up_as_a_host()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await using var daemon = await OutgateDaemon.StartAsync(["--fleet-db", pg.ConnectionString, "--host-name", "fleet-api-host"]);
        for (var i = 0; i < 20; i++)
            await daemon.PostJsonAsync("v1/mode", $$"""{"mode": "{{(i % 2 == 0 ? "enforce" : "learn")}}"}""", TestContext.Current.CancellationToken);
        JsonNode? status = null;
        Assert.True(await DecisionLab.EventuallyAsync(async () =>
        {
            status = JsonNode.Parse(await daemon.GetStringAsync("v1/fleet/status", TestContext.Current.CancellationToken));
            return status!["connected"]!.GetValue<bool>() && status["lag"]?.GetValue<long>() == 0 && status["lastLocalId"]!.GetValue<long>() >= 20
                && status["lastHeartbeatAt"] is not null;
        }, seconds: 30), $"not shipped: {status}\n{daemon.Output}");
        var hostId = Guid.Parse(status!["hostId"]!.GetValue<string>());
        var shipped = status["shippedId"]!.GetValue<long>();
        var (rows, distinct, ids) = await FleetDatabaseCheck.FleetIdsAsync(pg.ConnectionString, hostId);
        Assert.Equal(rows, distinct);
        Assert.Equal(FleetDatabaseCheck.LocalIds(daemon.EventDatabase, shipped), ids.GetViewBetween(0, shipped));
        Assert.Equal(hostId.ToString(), File.ReadAllText(Path.Combine(daemon.StateDir, "host-id")).Trim());

        var hosts = await daemon.CliAsync("fleet", "hosts");
        Assert.True(hosts.ExitCode == 0, hosts.ToString());
        Assert.Contains("fleet-api-host", hosts.StdOut);
        Assert.Matches("(learn|enforce)", hosts.StdOut); // the mode at the last heartbeat (every 10 s)
        var json = JsonNode.Parse((await daemon.CliAsync("fleet", "hosts", "--json")).StdOut)!;
        var host = json["hosts"]!.AsArray().Single()!;
        Assert.Equal("fleet-api-host", host["name"]!.GetValue<string>());
        Assert.False(host["drift"]!.GetValue<bool>());
        var drift = JsonNode.Parse((await daemon.CliAsync("fleet", "hosts", "--json", "--expect", "0000")).StdOut)!;
        Assert.True(drift["hosts"]![0]!["drift"]!.GetValue<bool>());

        var modeChanges = await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, "SELECT count(*) FROM events WHERE type = 'mode-change'");
        Assert.Equal(20, modeChanges);
        var fleetStatus = await daemon.CliAsync("fleet", "status");
        Assert.Contains("Connected: yes", fleetStatus.StdOut);
        Assert.Contains("lag 0 events", fleetStatus.StdOut);
    }
}

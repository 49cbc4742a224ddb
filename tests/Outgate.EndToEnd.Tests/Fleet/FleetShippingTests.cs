using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Outgate.EndToEnd.Tests.Decisions;
using Outgate.EndToEnd.Tests.Domains;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Fleet;

/// <summary>
/// Three hosts, each a <see cref="DomainLab"/> (client namespace guarded by a real outgated in learn mode, server and
/// resolver namespaces), shipping to one private PostgreSQL on loopback (the daemons run in the host namespace). Real
/// traffic makes the events: named connections through dnsmasq, then a bounded connect loop per host, during which
/// PostgreSQL is SIGKILLed (postmaster and children, by PID) for <see cref="OutageSeconds"/> and restarted.
/// </summary>
public sealed class FleetShippingTests
{
    /// <summary>The outage under load: 30 s as the issue asks (OUTGATE_FLEET_OUTAGE_SECONDS=N for a shorter local run).</summary>
    private static int OutageSeconds =>
        int.TryParse(Environment.GetEnvironmentVariable("OUTGATE_FLEET_OUTAGE_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 120 ? s : 30;

    /// <summary>Connects to HOST:PORT up to N times within SECONDS, closing each; prints how many opened.</summary>
    private const string ConnectLoop = """
        import socket, sys, time
        host, port, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
        deadline = time.time() + seconds
        ok = 0
        for i in range(n):
            if time.time() > deadline:
                break
            try:
                s = socket.create_connection((host, port), timeout=2)
                s.close()
                ok += 1
            except OSError:
                pass
        print(ok)
        """;

    [Fact]
    public async Task Three_hosts_ship_every_event_exactly_once_through_a_database_crash()
    {
        NetworkNamespace.SkipUnlessRoot();
        PostgresServer.SkipUnlessAvailable();
        var ct = TestContext.Current.CancellationToken;
        await using var pg = await PostgresServer.StartNewAsync();
        var labs = new List<DomainLab>();
        try
        {
            string[] names = ["fleet-a", "fleet-b", "fleet-c"];
            for (var i = 0; i < 3; i++)
            {
                var lab = await DomainLab.CreateAsync($"fl{i}");
                labs.Add(lab);
                await lab.Decisions.StartDaemonAsync("--mode", "learn", "--fleet-db", pg.ConnectionString, "--host-name", names[i]);
            }
            // a and b talk to allowed.test, c to other.test: what `fleet search --domain` must tell apart.
            await labs[0].AssertOpensAsync(TestZone.Allowed, 80, "learn mode lets everything through");
            await labs[1].AssertOpensAsync(TestZone.Allowed, 443, "learn mode lets everything through");
            await labs[2].AssertOpensAsync(TestZone.Other, 80, "learn mode lets everything through");
            foreach (var lab in labs)
                Assert.True(await DecisionLab.EventuallyAsync(async () => (await StatusAsync(lab))["connected"]!.GetValue<bool>(), 30),
                    $"{lab.Client.Name}: shipper never connected: {await StatusAsync(lab)}\n{lab.Decisions.Daemon!.Output}");

            // Load on all three, and the database dies in the middle of it.
            var load = labs.Select(lab => Shell.RunAsync("ip",
                ["netns", "exec", lab.Client.Name, "python3", "-c", ConnectLoop, lab.Lab.ServerV4, "8080", "4000", (OutageSeconds + 20).ToString(CultureInfo.InvariantCulture)],
                timeout: TimeSpan.FromSeconds(OutageSeconds + 60))).ToList();
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            var shippedBefore = await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, "SELECT count(*) FROM events");
            var sw = Stopwatch.StartNew();
            await pg.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(OutageSeconds), ct);
            var during = await Task.WhenAll(labs.Select(StatusAsync));
            await pg.StartAsync();
            var outage = sw.Elapsed;
            var opened = await Task.WhenAll(load);
            foreach (var (r, i) in opened.Select((r, i) => (r, i)))
                Assert.True(r.ExitCode == 0 && int.Parse(r.StdOut.Trim(), CultureInfo.InvariantCulture) > 100, $"load on {names[i]} made too few connections: {r}");
            Assert.Contains(during, s => !s["connected"]!.GetValue<bool>() && s["lastError"] is not null);

            // Everything arrives, exactly once: per host, the ids in PostgreSQL are the ids in events.db.
            var totals = new List<string>();
            foreach (var (lab, i) in labs.Select((l, i) => (l, i)))
            {
                JsonNode? status = null;
                Assert.True(await DecisionLab.EventuallyAsync(async () =>
                {
                    status = await StatusAsync(lab);
                    return status["connected"]!.GetValue<bool>() && status["lag"]?.GetValue<long>() == 0;
                }, 120), $"{names[i]} did not catch up: {status}\n{lab.Decisions.Daemon!.Output}");
                var hostId = Guid.Parse(status!["hostId"]!.GetValue<string>());
                var shipped = status["shippedId"]!.GetValue<long>();
                var local = FleetDatabaseCheck.LocalIds(lab.Decisions.Daemon!.EventDatabase, shipped);
                var (rows, distinct, ids) = await FleetDatabaseCheck.FleetIdsAsync(pg.ConnectionString, hostId);
                Assert.Equal(rows, distinct);
                var fleet = ids.GetViewBetween(0, shipped);
                Assert.True(local.SetEquals(fleet),
                    $"{names[i]}: events.db has {local.Count} ids up to {shipped}, the fleet database {fleet.Count}; missing {string.Join(',', local.Except(fleet).Take(20))}, extra {string.Join(',', fleet.Except(local).Take(20))}");
                Assert.True(local.Count > 100, $"{names[i]}: only {local.Count} events");
                totals.Add($"{names[i]}={local.Count}");
            }
            TestContext.Current.SendDiagnosticMessage($"fleet e2e: outage {outage.TotalSeconds:0.0} s under load; {shippedBefore} rows before the kill; per host {string.Join(", ", totals)}");

            // Which hosts talked to allowed.test? a and b; the parent domain finds all three.
            var search = JsonNode.Parse(await DaemonCliOk(labs[2], "fleet", "search", "--domain", TestZone.Allowed, "--since", "1h", "--json"))!;
            var hosts = search["results"]!.AsArray().Select(r => r!["host"]!.GetValue<string>()).Distinct().Order().ToList();
            Assert.Equal(["fleet-a", "fleet-b"], hosts);
            Assert.All(search["results"]!.AsArray(), r => Assert.Equal(TestZone.Allowed, r!["domain"]!.GetValue<string>()));
            var parent = JsonNode.Parse(await DaemonCliOk(labs[0], "fleet", "search", "--domain", TestZone.Domain, "--json"))!;
            Assert.Equal(names, parent["results"]!.AsArray().Select(r => r!["host"]!.GetValue<string>()).Distinct().Order());
            var text = await DaemonCliOk(labs[0], "fleet", "search", "--domain", TestZone.Allowed);
            Assert.Contains("2 hosts since", text);
            var dst = JsonNode.Parse(await DaemonCliOk(labs[0], "fleet", "search", "--dst", labs[1].Lab.ServerV4, "--json"))!;
            Assert.Equal(["fleet-b"], dst["results"]!.AsArray().Select(r => r!["host"]!.GetValue<string>()).Distinct());

            var fleetHosts = JsonNode.Parse(await DaemonCliOk(labs[1], "fleet", "hosts", "--json"))!;
            Assert.Equal(names, fleetHosts["hosts"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()));
            var top = JsonNode.Parse(await DaemonCliOk(labs[1], "fleet", "top", "--json"))!;
            Assert.Contains(top["apps"]!.AsArray(), a => a!["hosts"]!.GetValue<long>() == 3);
        }
        finally
        {
            foreach (var lab in labs) await lab.DisposeAsync();
        }
    }

    private static async Task<JsonNode> StatusAsync(DomainLab lab) =>
        JsonNode.Parse(await lab.Decisions.Daemon!.GetStringAsync("v1/fleet/status", TestContext.Current.CancellationToken))!;

    private static async Task<string> DaemonCliOk(DomainLab lab, params string[] args)
    {
        var r = await lab.Decisions.CliAsync(args);
        Assert.True(r.ExitCode == 0, $"outgate {string.Join(' ', args)}: {r}");
        return r.StdOut;
    }
}

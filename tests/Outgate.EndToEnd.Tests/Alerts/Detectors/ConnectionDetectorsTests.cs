using System.Net;
using Outgate.Daemon.Alerts.Detectors;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Linux.SockDiag;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Alerts.Detectors;

/// <summary>The per-connection detectors behind <see cref="ConnectionDetectors"/>, without a kernel.</summary>
public sealed class ConnectionDetectorsTests
{
    private static readonly ProcessFacts Curl = new() { Pid = 8, ExecutablePath = "/usr/bin/curl", Sha256 = new string('a', 64), Uid = 1000 };
    private static readonly IPAddress Dst = IPAddress.Parse("10.9.0.2");
    private static readonly ConnectionDecision Allowed = new(AppVerdict.Pass, "allow", "default outgoing policy (allow)", false, null, []);
    private static readonly ConnectionDecision Refused = new(AppVerdict.Deny, "reject", "rule 1: deny out 443", false, null, []);

    private static ConnectionFacts Facts(string? tags = null, int port = 443) => new("tcp", "10.9.0.1", 40000, Dst.ToString(), port, null, "allow", tags);

    private static (DetectorRig Rig, ConnectionDetectors Detectors, KnownApps Apps) Create(FirewallPolicy? policy = null, string? configDir = null)
    {
        var rig = new DetectorRig(policy, configDir);
        var apps = new KnownApps();
        apps.Load([]);
        var detectors = new ConnectionDetectors(rig.Alerts, rig.Policy, apps,
            new BlocklistDetector(rig.Alerts, rig.Policy, rig.Options), new DnsTunnelDetector(rig.Alerts, rig.Policy, rig.Time),
            new BeaconingDetector(rig.Alerts, rig.Policy, rig.Time));
        return (rig, detectors, apps);
    }

    private static void Inspect(ConnectionDetectors d, DetectorRig rig, ProcessFacts p, ConnectionDecision decision, ConnectionFacts? facts = null,
        UdpDnsProbe dns = default, IReadOnlyList<string>? names = null, IPAddress? dst = null) =>
        d.Inspect(p, facts ?? Facts(), dst ?? Dst, 0x0A090002, (ushort)(facts?.DstPort ?? 443), 6, names, decision, dns, rig.Time.GetUtcNow());

    [Fact]
    public void A_new_app_alerts_once_and_a_changed_hash_alerts_as_hash_changed()
    {
        var (rig, d, apps) = Create();
        Inspect(d, rig, Curl, Allowed);
        Inspect(d, rig, Curl, Allowed);
        Assert.Equal(1, rig.Raised("new-app"));
        Inspect(d, rig, Curl with { Sha256 = new string('b', 64) }, Allowed);
        Assert.Equal(1, rig.Raised("hash-changed"));
        Assert.True(apps.Writes.TryRead(out var first));
        Assert.Equal("/usr/bin/curl", first.Path);
        Assert.True(apps.Writes.TryRead(out var changed));
        Assert.Equal(new string('b', 64), changed.Sha256);
    }

    [Fact]
    public void Apps_known_from_the_store_are_not_new_and_a_first_hash_is_learned_quietly()
    {
        var apps = new KnownApps();
        apps.Load([new KnownApp("/usr/bin/curl", new string('a', 64), DetectorRig.T0, DetectorRig.T0), new KnownApp("/usr/bin/wget", null, DetectorRig.T0, DetectorRig.T0)]);
        Assert.Equal(AppNovelty.Known, apps.Observe("/usr/bin/curl", new string('a', 64), DetectorRig.T0, out _));
        Assert.Equal(AppNovelty.Known, apps.Observe("/usr/bin/wget", new string('c', 64), DetectorRig.T0, out _));
        Assert.Equal(AppNovelty.HashChanged, apps.Observe("/usr/bin/wget", new string('d', 64), DetectorRig.T0, out var previous));
        Assert.Equal(new string('c', 64), previous);
        Assert.Equal(AppNovelty.New, apps.Observe("/tmp/x/python3", null, DetectorRig.T0, out _));
    }

    [Fact]
    public void A_connect_back_decision_raises_an_error_alert_with_evidence()
    {
        var (rig, d, _) = Create();
        var bash = new ProcessFacts { Pid = 7, ExecutablePath = "/usr/bin/bash", CommandLine = "bash -i", ParentExecutablePath = "/usr/bin/bash" };
        var decision = Refused with { ConnectBack = ConnectBackTools.Match("/usr/bin/bash", null, []) };
        Inspect(d, rig, bash, decision, Facts(port: 4444));
        Inspect(d, rig, bash, decision, Facts(port: 4444)); // a cached decision: the raiser's dedup keeps it to one
        Assert.Equal(1, rig.Raised("connect-back"));
    }

    [Fact]
    public void Raw_ip_is_off_by_default_and_alerts_when_on()
    {
        var (rig, d, _) = Create();
        Inspect(d, rig, Curl, Allowed, Facts("no-dns"));
        Assert.Equal(0, rig.Raised("raw-ip"));
        rig.Use(DetectorRig.WithAlerts(AlertSettings.Default with { RawIp = new DetectorSwitch { Enabled = true } }));
        Inspect(d, rig, Curl, Allowed, Facts("no-dns"));
        Inspect(d, rig, Curl, Allowed, Facts(null));
        Assert.Equal(1, rig.Raised("raw-ip"));
    }

    [Fact]
    public void Non_dns_bytes_to_port_53_raise_dns_port_and_a_real_query_feeds_the_tunnel_detector()
    {
        var (rig, d, _) = Create();
        var udp53 = new ConnectionFacts("udp", "10.9.0.1", 40000, Dst.ToString(), 53);
        Inspect(d, rig, Curl, Allowed, udp53, UdpDnsProbe.Of("hello"u8, cut: false));
        Assert.Equal(1, rig.Raised("dns-port"));
        Inspect(d, rig, Curl, Allowed, udp53, UdpDnsProbe.Of(DnsQueryParserTests.Query(new string('q', 50) + ".tunnel.example.com"), cut: false));
        Assert.Equal(1, rig.Raised("dns-port"));
        Assert.Equal(1, rig.Raised("dns-tunnel"));
    }

    [Fact]
    public void Beaconing_alerts_at_the_threshold_of_refusals_within_the_window()
    {
        var (rig, d, _) = Create();
        var attempts = AlertSettings.Default.Beaconing.Attempts;
        for (var i = 0; i < attempts - 1; i++)
        {
            Inspect(d, rig, Curl, Refused);
            Inspect(d, rig, Curl, Allowed); // allowed ones do not count
        }
        Assert.Equal(0, rig.Raised("beaconing"));
        rig.Time.Advance(AlertSettings.Default.Beaconing.Window + TimeSpan.FromSeconds(1));
        for (var i = 0; i < attempts - 1; i++) Inspect(d, rig, Curl, Refused);
        Assert.Equal(0, rig.Raised("beaconing")); // the window started over
        Inspect(d, rig, Curl, Refused);
        Assert.Equal(1, rig.Raised("beaconing"));
    }

    [Fact]
    public void Blocklists_match_addresses_names_and_queries_with_paths_relative_to_the_config_dir()
    {
        var dir = Directory.CreateTempSubdirectory("og-blocklist-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "bad-ips.txt"), "10.9.0.0/24\n");
            File.WriteAllText(Path.Combine(dir.FullName, "bad-domains.txt"), "evil.example\n");
            var policy = DetectorRig.WithAlerts(AlertSettings.Default with { Blocklist = new BlocklistSettings { Lists = ["bad-ips.txt", Path.Combine(dir.FullName, "bad-domains.txt")] } });
            var (rig, d, _) = Create(policy, dir.FullName);
            Inspect(d, rig, Curl, Allowed);
            Assert.Equal(1, rig.Raised("blocklist"));
            var other = IPAddress.Parse("10.8.0.5");
            Inspect(d, rig, Curl, Allowed, Facts() with { Dst = "10.8.0.5" }, names: ["www.evil.example"], dst: other);
            Assert.Equal(2, rig.Raised("blocklist"));
            Inspect(d, rig, Curl, Allowed, Facts() with { Dst = "10.8.0.5" }, names: ["fine.example"], dst: other);
            Assert.Equal(2, rig.Raised("blocklist"));
            var udp53 = new ConnectionFacts("udp", "10.9.0.1", 40000, "10.8.0.53", 53);
            Inspect(d, rig, Curl, Allowed, udp53, UdpDnsProbe.Of(DnsQueryParserTests.Query("c2.evil.example"), false), dst: IPAddress.Parse("10.8.0.53"));
            Assert.Equal(3, rig.Raised("blocklist"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Known_apps_survive_a_restart_in_events_db()
    {
        var dir = Directory.CreateTempSubdirectory("og-knownapps-");
        try
        {
            var store = new EventStore(new DaemonOptions { StateDirectory = dir.FullName });
            store.Initialize();
            KnownAppsStore.Upsert(store, [new KnownApp("/usr/bin/curl", "aa", DetectorRig.T0, DetectorRig.T0)]);
            KnownAppsStore.Upsert(store, [new KnownApp("/usr/bin/curl", null, DetectorRig.T0.AddHours(1), DetectorRig.T0.AddHours(1)), new KnownApp("/bin/x", "bb", DetectorRig.T0, DetectorRig.T0)]);
            var rows = KnownAppsStore.Read(store).OrderBy(a => a.Path, StringComparer.Ordinal).ToList();
            Assert.Equal(2, rows.Count);
            Assert.Equal(new KnownApp("/usr/bin/curl", "aa", DetectorRig.T0, DetectorRig.T0.AddHours(1)), rows[1]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Only_sockets_this_host_dialled_to_a_remote_peer_count_for_the_stdio_scan()
    {
        SocketEntry Tcp(string local, ushort lport, string remote, ushort rport, SocketState state, ulong inode) =>
            new(SocketProtocol.Tcp, IPAddress.Parse(local), lport, IPAddress.Parse(remote), rport, state, 0, inode, 0, null);
        var sockets = RemoteSockets.Outgoing(
        [
            Tcp("10.9.0.1", 40000, "10.9.0.2", 4444, SocketState.Established, 1), // dialled out: counts
            Tcp("127.0.0.1", 40001, "127.0.0.1", 8080, SocketState.Established, 2), // loopback
            Tcp("10.9.0.1", 22, "10.9.0.7", 50000, SocketState.Established, 3), // accepted on a listening port
            Tcp("0.0.0.0", 22, "0.0.0.0", 0, SocketState.Listen, 4),
            Tcp("10.9.0.1", 40002, "10.9.0.2", 80, SocketState.TimeWait, 5),
            new(SocketProtocol.Udp, IPAddress.Parse("10.9.0.1"), 5000, IPAddress.Parse("10.9.0.2"), 53, SocketState.Established, 0, 6, 0, null),
        ]);
        Assert.Equal([1UL, 6UL], sockets.Keys.Order());
    }
}

using Outgate.Daemon.Alerts.Detectors;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Alerts.Detectors;

public sealed class DnsTunnelDetectorTests
{
    private static readonly ProcessFacts Python = new() { Pid = 9, ExecutablePath = "/usr/bin/python3.11" };

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaa", 0.0)]
    [InlineData("abcd", 2.0)]
    [InlineData("0123456789abcdef", 4.0)]
    public void Entropy_is_in_bits_per_character(string label, double expected) =>
        Assert.Equal(expected, DnsLabels.Entropy(label), 6);

    [Fact]
    public void Encoded_labels_score_above_the_default_and_words_below()
    {
        Assert.True(DnsLabels.Entropy("mzxw6ytboi4dsnzsgq2tmnzyhe3dqmrx") > 4.0, "base32 of random bytes");
        Assert.True(DnsLabels.Entropy("connectivity-check-ubuntu") < 4.0, "words");
        Assert.True(DnsLabels.Entropy("ec2-54-239-28-85-compute") < 4.0, "a cloud host name");
        Assert.True(DnsLabels.Entropy("r3---sn-4g5e6nsz-hjve") < 4.0, "a CDN host name");
    }

    [Theory]
    [InlineData("a.b.evil.com", "evil.com")]
    [InlineData("evil.com", "evil.com")]
    [InlineData("com", "com")]
    [InlineData("x.y.evil.co.uk", "evil.co.uk")]
    [InlineData("evil.co.uk", "evil.co.uk")]
    [InlineData("co.uk", "co.uk")]
    [InlineData("deep.sub.example.de", "example.de")]
    public void Registrable_domains_group_subdomains(string name, string expected) =>
        Assert.Equal(expected, DnsLabels.RegistrableDomain(name));

    [Fact]
    public void A_long_label_alerts_once_per_domain_within_dedup()
    {
        var rig = new DetectorRig();
        var detector = new DnsTunnelDetector(rig.Alerts, rig.Policy, rig.Time);
        detector.Observe(new DnsQuestion(new string('a', 41) + ".t.example.org", 1, 1), Python, default);
        detector.Observe(new DnsQuestion(new string('b', 45) + ".t.example.org", 1, 2), Python, default);
        Assert.Equal(1, rig.Raised("dns-tunnel"));
        detector.Observe(new DnsQuestion(new string('a', 40) + ".other.org", 1, 3), Python, default);
        Assert.Equal(1, rig.Raised("dns-tunnel")); // 40 is not more than 40, and 'aaa…' has no entropy
    }

    [Fact]
    public void A_random_looking_label_alerts()
    {
        var rig = new DetectorRig();
        var detector = new DnsTunnelDetector(rig.Alerts, rig.Policy, rig.Time);
        detector.Observe(new DnsQuestion("mzxw6ytboi4dsnzsgq2tmnzyhe3dqmrx.c2.example.net", 1, 1), Python, default);
        Assert.Equal(1, rig.Raised("dns-tunnel"));
    }

    [Fact]
    public void A_burst_of_unique_subdomains_within_the_window_alerts_and_a_slow_trickle_does_not()
    {
        var rig = new DetectorRig();
        var detector = new DnsTunnelDetector(rig.Alerts, rig.Policy, rig.Time);
        var limit = AlertSettings.Default.DnsTunnel.UniqueSubdomains;
        // A trickle: one new name every 2 s stays below the limit in any 1-minute window.
        for (var i = 0; i < limit * 2; i++)
        {
            detector.Observe(new DnsQuestion($"host{i}.slow.example.com", 1, (ushort)i), Python, default);
            rig.Time.Advance(TimeSpan.FromSeconds(2));
        }
        Assert.Equal(0, rig.Raised("dns-tunnel"));
        for (var i = 0; i < limit - 1; i++)
            detector.Observe(new DnsQuestion($"n{i}.fast.example.net", 1, (ushort)(1000 + i)), Python, default);
        Assert.Equal(0, rig.Raised("dns-tunnel"));
        detector.Observe(new DnsQuestion("last.fast.example.net", 1, 9999), Python, default);
        Assert.Equal(1, rig.Raised("dns-tunnel"));
    }

    [Fact]
    public void Txt_floods_alert_and_a_query_seen_again_as_its_answer_counts_once()
    {
        var rig = new DetectorRig();
        var detector = new DnsTunnelDetector(rig.Alerts, rig.Policy, rig.Time);
        var limit = AlertSettings.Default.DnsTunnel.TxtQueries;
        for (var i = 0; i < limit - 1; i++)
        {
            // Same name each time (no burst), different ids; each seen as query and as answer.
            detector.Observe(new DnsQuestion("poll.txt.example.com", 16, (ushort)i), Python, default);
            detector.ObserveAnswer("poll.txt.example.com", 16, (ushort)i);
        }
        Assert.Equal(0, rig.Raised("dns-tunnel"));
        detector.ObserveAnswer("poll.txt.example.com", 10, 5000); // NULL counts as TXT
        Assert.Equal(1, rig.Raised("dns-tunnel"));
    }

    [Fact]
    public void A_disabled_detector_is_silent()
    {
        var rig = new DetectorRig(DetectorRig.WithAlerts(AlertSettings.Default with { DnsTunnel = new DnsTunnelSettings { Enabled = false } }));
        var detector = new DnsTunnelDetector(rig.Alerts, rig.Policy, rig.Time);
        detector.Observe(new DnsQuestion(new string('a', 60) + ".example.org", 1, 1), Python, default);
        Assert.Equal(0, rig.Raised("dns-tunnel"));
    }
}

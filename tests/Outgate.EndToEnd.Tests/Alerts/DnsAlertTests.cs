namespace Outgate.EndToEnd.Tests.Alerts;

/// <summary>DNS-based detectors on real queries from the client namespace to the peer's udp/53 listener (an echo service).</summary>
public sealed class DnsAlertTests
{
    /// <summary>Sends COUNT queries (A, random 50-character labels under tunnel.example) or, with "junk", bytes that are not DNS.</summary>
    private const string Sender = """
        import random, socket, string, struct, sys
        peer, what, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
        def query(name, qid):
            q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
            for label in name.split("."):
                q += bytes([len(label)]) + label.encode()
            return q + b"\x00" + struct.pack(">HH", 1, 1)
        for i in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            if what == "junk":
                s.sendto(b"this is not a DNS query, just bytes\n", (peer, 53))
            else:
                label = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(50))
                s.sendto(query(label + ".tunnel.example", i + 1), (peer, 53))
            s.close()
        print("sent")
        """;

    [Fact]
    public async Task A_burst_of_random_50_character_labels_raises_dns_tunnel()
    {
        await using var lab = await AlertLab.CreateAsync("dnt");
        await lab.Decisions.CliOkAsync("enable");
        await lab.Decisions.StartDaemonAsync("--mode", "learn");
        var script = Path.Combine(lab.Dir, "send.py");
        await File.WriteAllTextAsync(script, Sender, TestContext.Current.CancellationToken);

        var r = await lab.RunAsync(20, "python3", script, lab.Peer, "dns", "60");
        Assert.True(r.StdOut.Contains("sent", StringComparison.Ordinal), r.ToString());
        var alert = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "dns-tunnel");
        Assert.True(alert is not null, "no dns-tunnel alert: " + await lab.DiagnoseAsync());
        Assert.Equal("warning", AlertLab.Text(alert!, "severity"));
        Assert.Contains("tunnel.example", AlertLab.Text(alert!, "details"), StringComparison.Ordinal);
        var burst = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "dns-tunnel" && AlertLab.Text(a, "details").Contains("reason=subdomain-burst", StringComparison.Ordinal));
        Assert.True(burst is not null, "no subdomain-burst alert for 60 unique names: " + await lab.DiagnoseAsync());
        Assert.DoesNotContain(await lab.AlertsAsync(), a => AlertLab.Rule(a) == "dns-port");
    }

    [Fact]
    public async Task Non_dns_bytes_to_udp_53_raise_dns_port()
    {
        await using var lab = await AlertLab.CreateAsync("dnp");
        await lab.Decisions.CliOkAsync("enable");
        await lab.Decisions.StartDaemonAsync("--mode", "learn");
        var script = Path.Combine(lab.Dir, "send.py");
        await File.WriteAllTextAsync(script, Sender, TestContext.Current.CancellationToken);

        await lab.RunAsync(10, "python3", script, lab.Peer, "junk", "1");
        var alert = await lab.WaitForAlertAsync(a => AlertLab.Rule(a) == "dns-port");
        Assert.True(alert is not null, "no dns-port alert: " + await lab.DiagnoseAsync());
        Assert.Equal(53, (int?)alert!["dstPort"]);
    }
}

using System.Net;
using CsCheck;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Daemon.Proposals;
using Outgate.Policy;
using static Outgate.EndToEnd.Tests.Proposals.ProposalEvents;

namespace Outgate.EndToEnd.Tests.Proposals;

/// <summary>The proposal's TOML loads as exactly the proposed rules, and enforcing it lets through everything it was proposed from.</summary>
public class ProposalTomlTests
{
    private static readonly string[] Exes = ["/usr/bin/curl", "/usr/lib/apt/methods/http", "/opt/we\"ird app/bin\\x", "/usr/sbin/chronyd"];
    private static readonly string?[] Units = [null, null, "chrony.service", "user@1000.service", "session-2.scope"];
    private static readonly string?[] Containers = [null, null, null, "web-1"];
    private static readonly string?[] Domains = [null, "example.com", "a.example.com", "b.example.com", "c.example.com", "d.b.example.com", "bbc.co.uk", "x.co.uk", "y.co.uk", "xn--bcher-kva.example"];
    private static readonly string[] Addresses = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "198.51.100.7", "2001:db8::1", "2001:db8::2", "2001:db8::3", "2001:db8::4", "127.0.0.1"];
    private static readonly int[] Ports = [53, 123, 443, 80, 8080, 8081, 8082, 22];
    private static readonly (uint Uid, string User)[] Users = [(0, "root"), (42, "_apt"), (1000, "alice")];

    private static DaemonEvent EventFrom(int[] r)
    {
        int Pick(int i, int n) => (int)((uint)r[i] % (uint)n);
        var user = Users[Pick(6, Users.Length)];
        var port = Pick(4, 3) == 0 ? 1 + Pick(9, 65535) : Ports[Pick(4, Ports.Length)];
        return Decision(Exes[Pick(0, Exes.Length)], Addresses[Pick(3, Addresses.Length)], port, Pick(5, 2) == 0 ? "tcp" : "udp",
            domain: Domains[Pick(7, Domains.Length)], unit: Units[Pick(1, Units.Length)], container: Containers[Pick(2, Containers.Length)],
            uid: user.Uid, user: user.User, verdict: Pick(8, 10) == 0 ? "deny" : "allow", tags: Pick(8, 13) == 1 ? "no-dns" : null, minute: Pick(9, 10_000));
    }

    [Fact]
    public void The_toml_reads_back_as_the_proposed_rules_with_default_deny_outgoing()
    {
        var p = Propose([
            Decision("/usr/bin/curl", "192.0.2.1", 443, domain: "example.com"),
            Decision("/opt/we\"ird app/bin\\x", "192.0.2.2", 8443, domain: "b.example.com", uid: 42, user: "_apt"),
            Decision("/usr/sbin/chronyd", "2001:db8::123", 123, "udp", unit: "chrony.service"),
            Decision("/usr/bin/bash", "198.51.100.66", 4444, tags: "no-dns"),
        ]);
        var toml = ProposalToml.Write(p, Settings());
        Assert.Null(ProposalEndpoints.RoundTripProblem(toml, p));
        var load = PolicyFileSet.FromFiles("/x", [new PolicyFile("/x/outgate.toml", toml)]);
        Assert.True(load.Succeeded, string.Join("\n", load.Errors));
        Assert.Equal(DefaultPolicy.Deny, load.FileSet!.Policy.Defaults.Outgoing);
        Assert.Equal(3, load.FileSet.Policy.Rules.Count);
        Assert.StartsWith("# Proposed by `outgate policy propose` at 2026-11-21 08:00Z\n# from 4 recorded connections since 2026-11-19 08:00Z", toml);
        Assert.True(toml.Contains("# ntp: seen once, first 2026-11-20 08:00Z, last 2026-11-20 08:00Z\n# programs seen: /usr/sbin/chronyd\n[[rule]]", StringComparison.Ordinal), toml);
        Assert.Contains("app = \"/opt/we\\\"ird app/bin\\\\x\"\nuser = \"_apt\"", toml);
        Assert.Contains("#   /usr/bin/bash → 198.51.100.66:4444/tcp: tagged no-dns", toml);
    }

    [Fact]
    public void Enforcing_the_proposal_allows_every_connection_it_was_proposed_from()
    {
        Gen.Int.Array[10].Array[1, 60].Sample(raw =>
        {
            var events = raw.Select(EventFrom).ToList();
            var p = Propose(events);
            var toml = ProposalToml.Write(p, Settings());
            Assert.Null(ProposalEndpoints.RoundTripProblem(toml, p));
            var load = PolicyFileSet.FromFiles("/x", [new PolicyFile("/x/outgate.toml", toml)]);
            Assert.True(load.Succeeded, string.Join("\n", load.Errors));
            var snapshot = new PolicySnapshot(load.FileSet!.Policy, 1, T0, null);
            foreach (var e in events.Where(e => e.Verdict == "allow" && e.Tags is null))
            {
                var dst = IPAddress.Parse(e.Dst!);
                var packet = new PacketFacts(Direction.Out, null, IPAddress.IsLoopback(dst) ? "lo" : "eth0", e.Proto == "tcp" ? 6 : 17, IPAddress.Parse(e.Src!), dst, e.SrcPort!.Value, e.DstPort!.Value,
                    DestinationNames: e.Domain is null ? null : [e.Domain]);
                var process = new ProcessFacts { Pid = 4242, ExecutablePath = e.Exe, Uid = e.Uid!.Value, UserName = e.User, SystemdUnit = e.Unit, ContainerName = e.Container };
                var decision = ConnectionDecider.Decide(snapshot, DaemonMode.Enforce, packet, process, T0);
                var allowed = decision.Verdict == AppVerdict.Allow || (IPAddress.IsLoopback(dst) && decision.Outcome == "allow");
                Assert.True(allowed, $"{e.Exe} ({e.Unit}, {e.Container}, {e.User}) → {e.Domain} {e.Dst}:{e.DstPort}/{e.Proto}: {decision.Outcome} by {decision.DecidedBy}\n{toml}");
            }
        }, iter: 300);
    }
}

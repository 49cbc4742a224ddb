using System.Net;
using CsCheck;

namespace Outgate.Policy.Tests;

/// <summary>CsCheck generators over small value pools so random packets often hit random rules.</summary>
internal static class Generators
{
    private static readonly string[] V4Hosts = ["10.0.0.1", "10.0.0.2", "10.1.0.5", "192.168.1.1", "8.8.8.8"];
    private static readonly string[] V6Hosts = ["2001:db8::1", "2001:db8::2", "2001:db8:1::5", "fe80::1", "2606:4700::1111"];
    private static readonly string[] V4Nets = ["10.0.0.0/8", "10.0.0.0/24", "192.168.0.0/16", "8.8.8.8/32", "0.0.0.0/0"];
    private static readonly string[] V6Nets = ["2001:db8::/32", "2001:db8::/64", "fe80::/10", "2606:4700::1111/128"];
    private static readonly int[] Ports = [22, 23, 53, 67, 68, 80, 443, 546, 547, 8080];
    private static readonly string[] Interfaces = ["eth0", "eth1", "tun0", "wg0", "lo"];

    public static readonly Gen<PortSpec> PortSpecs = Gen.Frequency(
        (4, Gen.OneOf(Ports).Select(PortSpec.Single)),
        (1, Gen.Int[20, 90].Select(Gen.Int[0, 40], (a, n) => new PortSpec([new PortRange(a, a + n)]))),
        (1, Gen.OneOf(Ports).Array[2, 4].Select(ps => new PortSpec(ps.Select(p => new PortRange(p, p)).ToArray()))));

    private static Gen<IPNetwork?> Network(bool v6) => Gen.Frequency(
        (3, Gen.Const((IPNetwork?)null)),
        (2, Gen.OneOf(v6 ? V6Hosts : V4Hosts).Select(h => (IPNetwork?)IPNetwork.Parse(h + (v6 ? "/128" : "/32")))),
        (2, Gen.OneOf(v6 ? V6Nets : V4Nets).Select(n => (IPNetwork?)IPNetwork.Parse(n))));

    private static Gen<T?> Maybe<T>(Gen<T> gen) where T : class => Gen.Frequency((1, Gen.Const((T?)null)), (1, gen.Select(x => (T?)x)));

    public static readonly Gen<Rule> Rules =
        from action in Gen.Enum<RuleAction>()
        from direction in Gen.Enum<Direction>()
        from iface in Maybe(Gen.OneOf("eth0", "eth1", "tun0", "eth+", "wg+"))
        from logging in Gen.Frequency((6, Gen.Const(RuleLogging.None)), (1, Gen.Const(RuleLogging.New)), (1, Gen.Const(RuleLogging.All)))
        from protocol in Gen.Frequency((4, Gen.Const(Protocol.Any)), (4, Gen.Const(Protocol.Tcp)), (3, Gen.Const(Protocol.Udp)), (1, Gen.OneOf(Protocol.Esp, Protocol.Ah, Protocol.Gre, Protocol.Igmp, Protocol.Ipv6)))
        from v6 in Gen.Bool
        from source in Network(v6)
        from destination in Network(v6)
        from fromPort in Gen.Frequency((4, Gen.Const((PortSpec?)null)), (1, PortSpecs.Select(p => (PortSpec?)p)))
        from toPort in Gen.Frequency((1, Gen.Const((PortSpec?)null)), (2, PortSpecs.Select(p => (PortSpec?)p)))
        from comment in Gen.Frequency((4, Gen.Const((string?)null)), (1, Gen.OneOf("web", "VPN DNS", "ünïcode ok"). Select(c => (string?)c)))
        let rule = new Rule
        {
            Action = action, Direction = direction, Interface = iface, Logging = logging, Protocol = protocol,
            From = source, To = destination, FromPort = protocol is Protocol.Tcp or Protocol.Udp or Protocol.Any ? fromPort : null,
            ToPort = protocol is Protocol.Tcp or Protocol.Udp or Protocol.Any ? toPort : null, Comment = comment,
        }
        select rule.Validate().Count == 0 ? rule : rule with { FromPort = null, ToPort = rule.ToPort is { IsSinglePort: true } && rule.Protocol != Protocol.Ipv6 && rule.Protocol != Protocol.Igmp ? rule.ToPort : null, From = rule.Protocol is Protocol.Igmp or Protocol.Ipv6 ? null : rule.From, To = rule.Protocol is Protocol.Igmp or Protocol.Ipv6 ? null : rule.To };

    public static readonly Gen<Rule> ValidRules = Rules.Where(r => r.Validate().Count == 0);

    public static readonly Gen<RuleSubject> Subjects =
        from app in Maybe(Gen.OneOf("/usr/bin/curl", "curl", "python3", "/usr/lib/apt/methods/http", "/opt/My App/run"))
        from hash in Maybe(Gen.OneOf(new string('a', 64), "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"))
        from cmdline in Maybe(Gen.OneOf("python3 -m http.server*", "curl ?", "*"))
        from parent in Maybe(Gen.OneOf("bash", "/usr/bin/sshd"))
        from user in Maybe(Gen.OneOf("_apt", "alice", "1000", "0"))
        from owningGroup in Maybe(Gen.OneOf("staff", "50"))
        from unit in Maybe(Gen.OneOf("systemd-timesyncd.service", "nginx", "user@1000.service"))
        from cgroup in Maybe(Gen.OneOf("/system.slice", "/user.slice/user-1000.slice"))
        from container in Maybe(Gen.OneOf("web", "3f4e5a6b7c8d", "db-1"))
        let subject = new RuleSubject { App = app, Sha256 = hash, CommandLine = cmdline, Parent = parent, User = user, Group = owningGroup, Unit = unit, Cgroup = cgroup, Container = container }
        select subject.IsEmpty ? subject with { App = "curl" } : subject;

    private static readonly DateTimeOffset Epoch = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Outgoing rules with a subject and sometimes a lifetime (whole seconds, as the CLI writes them).</summary>
    public static readonly Gen<Rule> SubjectRules =
        from rule in ValidRules
        from subject in Subjects
        from expires in Gen.Frequency((3, Gen.Const((DateTimeOffset?)null)), (1, Gen.Int[-3600, 7200].Select(s => (DateTimeOffset?)Epoch.AddSeconds(s))))
        from bootId in Gen.Frequency((4, Gen.Const((string?)null)), (1, Gen.OneOf("6f1c2e3a-1111-4222-8333-944455556666", "0a0b0c0d-1111-4222-8333-944455556666").Select(b => (string?)b)))
        let candidate = rule with
        {
            Direction = Direction.Out, Subject = subject, Expires = expires, BootId = bootId,
            Action = rule.Action == RuleAction.Limit ? RuleAction.Allow : rule.Action,
            Interface = rule.Interface is "lo" ? null : rule.Interface,
        }
        where candidate.Validate().Count == 0
        select candidate;

    public static readonly Gen<FirewallPolicy> Policies =
        from rules in ValidRules.Array[0, 12]
        from incoming in Gen.OneOf(DefaultPolicy.Allow, DefaultPolicy.Deny, DefaultPolicy.Reject)
        from outgoing in Gen.OneOf(DefaultPolicy.Allow, DefaultPolicy.Deny, DefaultPolicy.Reject)
        from routed in Gen.Enum<DefaultPolicy>()
        from logging in Gen.Enum<LogLevel>()
        select new FirewallPolicy { Rules = rules, Logging = logging, Defaults = new Defaults { Incoming = incoming, Outgoing = outgoing, Routed = routed } };

    public static readonly Gen<PacketFacts> Packets =
        from direction in Gen.Enum<Direction>()
        from v6 in Gen.Bool
        from source in Gen.OneOf(v6 ? V6Hosts : V4Hosts)
        from destination in Gen.OneOf(v6 ? V6Hosts : V4Hosts)
        from protocol in Gen.Frequency((4, Gen.Const(6)), (4, Gen.Const(17)), (2, Gen.Const(v6 ? 58 : 1)), (1, Gen.OneOf(50, 51, 47, 2, 41)))
        from sport in Gen.Frequency((1, Gen.OneOf(Ports)), (1, Gen.Int[1, 65535]))
        from dport in Gen.Frequency((3, Gen.OneOf(Ports)), (1, Gen.Int[20, 100]))
        from icmp in Gen.OneOf(0, 3, 8, 11, 12, 1, 2, 4, 128, 129, 130, 131, 133, 134, 135, 136, 137, 143)
        from inIface in Gen.OneOf(Interfaces)
        from outIface in Gen.OneOf(Interfaces)
        select new PacketFacts(
            direction,
            direction == Direction.Out ? null : inIface,
            direction == Direction.In ? null : outIface,
            protocol,
            IPAddress.Parse(source),
            IPAddress.Parse(destination),
            protocol is 6 or 17 ? sport : 0,
            protocol is 6 or 17 ? dport : 0,
            protocol is 1 or 58 ? icmp : -1);
}

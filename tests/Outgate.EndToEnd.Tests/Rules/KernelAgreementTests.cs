using System.Net;
using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Policy;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>
/// Property test with the kernel as the judge: random outgoing policies are compiled, loaded into
/// the client namespace, and every lab service is probed; the in-memory matcher must predict each
/// outcome. The seed is in the failure message, so a failing policy can be replayed.
/// </summary>
public sealed class KernelAgreementTests
{
    private static readonly int[] PortPool = [22, 53, 80, 443, 8080, 123, 9999];

    [Fact]
    public async Task Kernel_and_matcher_agree_on_random_outgoing_policies()
    {
        await using var fw = await FirewallLab.CreateAsync("ka");
        var lab = fw.Lab;
        var seed = Environment.GetEnvironmentVariable("OUTGATE_AGREEMENT_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        var random = new Random(seed);
        for (var round = 0; round < 6; round++)
        {
            var policy = RandomPolicy(random, lab);
            var ruleset = NftRulesetCompiler.Compile(policy);
            await NetworkNamespaceScope.RunAsync(lab.Client.Name, () => { using var nft = new NftClient(); nft.Run(ruleset.ReplaceJson); });

            var matcher = new PolicyMatcher(policy);
            var observed = await lab.ProbeAsync(timeoutSeconds: 0.7);
            var wrong = new List<string>();
            foreach (var (service, open) in observed)
            {
                var facts = new PacketFacts(Direction.Out, null, lab.ClientInterface, service.Proto == "tcp" ? 6 : 17,
                    IPAddress.Parse(service.V6 ? lab.ClientV6 : lab.ClientV4), IPAddress.Parse(service.V6 ? lab.ServerV6 : lab.ServerV4), 40000, service.Port);
                var predicted = matcher.Decide(facts).Verdict == Verdict.Accept;
                if (predicted != open) wrong.Add($"{service}: matcher says {(predicted ? "open" : "blocked")}, kernel {(open ? "open" : "blocked")}");
            }
            Assert.True(wrong.Count == 0,
                $"seed {seed} (OUTGATE_AGREEMENT_SEED={seed}), round {round}:\n{string.Join('\n', wrong)}\npolicy:\n{Describe(policy)}\nnft:\n{ruleset.Text}");
        }
    }

    private static FirewallPolicy RandomPolicy(Random random, ReachabilityLab lab)
    {
        var rules = new List<Rule>();
        for (var i = random.Next(0, 6); i > 0; i--)
        {
            var proto = random.Next(3) switch { 0 => Protocol.Tcp, 1 => Protocol.Udp, _ => Protocol.Any };
            PortSpec? port = null;
            if (random.Next(4) > 0)
            {
                var text = random.Next(3) switch
                {
                    0 => PortPool[random.Next(PortPool.Length)].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    1 => $"{PortPool[random.Next(PortPool.Length)]},{PortPool[random.Next(PortPool.Length)]}",
                    _ => "50:450",
                };
                // ufw semantics: a list or range needs a protocol.
                if (text.Contains(',') || text.Contains(':')) proto = proto == Protocol.Any ? Protocol.Tcp : proto;
                if (PortSpec.TryParse(text, out var spec, out _)) port = spec;
            }
            IPNetwork? to = random.Next(5) switch
            {
                0 => IPNetwork.Parse(lab.ServerV4 + "/32"),
                1 => IPNetwork.Parse(lab.ServerV6 + "/128"),
                2 => IPNetwork.Parse("192.0.2.0/24"),
                _ => null,
            };
            var action = random.Next(3) switch { 0 => RuleAction.Allow, 1 => RuleAction.Deny, _ => RuleAction.Reject };
            var rule = new Rule { Action = action, Direction = Direction.Out, Protocol = proto, ToPort = port, To = to, Interface = random.Next(4) == 0 ? lab.ClientInterface : null };
            if (rule.Validate().Count == 0) rules.Add(rule);
        }
        var outgoing = random.Next(3) switch { 0 => DefaultPolicy.Allow, 1 => DefaultPolicy.Deny, _ => DefaultPolicy.Reject };
        return new FirewallPolicy { Defaults = new Defaults { Outgoing = outgoing }, Rules = rules, Logging = LogLevel.Off };
    }

    private static string Describe(FirewallPolicy p) =>
        $"default {p.Defaults.Outgoing} outgoing\n" + string.Join('\n', p.Rules.Select((r, i) => $"[{i + 1}] {r.ToUfwString()}"));
}

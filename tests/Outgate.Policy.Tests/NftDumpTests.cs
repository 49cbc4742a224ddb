namespace Outgate.Policy.Tests;

public sealed class NftDumpTests
{
    [Fact]
    public void Dump_sample_for_manual_nft_check()
    {
        var tokens = new[]
        {
            "allow in on eth0 from 1.2.3.4 to any port 22 proto tcp",
            "allow out 443/tcp",
            "deny 53/udp",
            "allow out to any port 53",
            "allow out on tun0 to any port 53 proto udp",
            "allow from 10.0.0.0/8",
            "limit 22/tcp",
            "reject out to 192.168.0.0/16",
            "allow out log-all to 2001:db8::/32 port 80,443,8000:8080 proto tcp comment hello",
            "allow out proto esp to any",
            "allow in on wg+ proto igmp from any",
            "route allow in on eth1 to 10.1.0.0/16 port 80 proto tcp",
            "allow out to 10.0.0.1 port 80 proto tcp",
            "allow out to 10.0.0.2 port 80 proto tcp",
            "allow out to 10.0.0.0/8 port 80 proto tcp",
        };
        var rules = tokens.Select(t => UfwGrammar.ParseRule(t.Split(' '))).Select(r => r.Succeeded ? r.Value : throw new InvalidOperationException(string.Join("\n", r.Errors))).ToList();
        var policy = new FirewallPolicy { Rules = rules, Logging = LogLevel.Medium, Defaults = new Defaults { Outgoing = DefaultPolicy.Reject, Routed = DefaultPolicy.Deny } };
        var ruleset = NftRulesetCompiler.Compile(policy);
        File.WriteAllText("/tmp/og.nft", ruleset.Text);
        File.WriteAllText("/tmp/og.json", ruleset.ReplaceJson);
        File.WriteAllText("/tmp/og-status.txt", UfwStatusFormatter.Format(policy, UfwStatusView.Verbose, true) + "\n----\n" + UfwStatusFormatter.Format(policy, UfwStatusView.Numbered, true));
    }
}

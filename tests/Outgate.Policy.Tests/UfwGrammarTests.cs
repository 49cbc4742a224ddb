using System.Net;

namespace Outgate.Policy.Tests;

public sealed class UfwGrammarTests
{
    private static IPNetwork Net(string text) => IPNetwork.Parse(text);

    [Fact]
    public void Short_form_port_only_allows_tcp_and_udp_incoming()
    {
        var rule = Tokens.Rule("allow 22");
        Assert.Equal(new Rule { Action = RuleAction.Allow, ToPort = PortSpec.Single(22) }, rule);
        Assert.Equal(AddressFamilies.Both, rule.Families);
    }

    [Fact]
    public void Short_form_out_with_protocol()
        => Assert.Equal(new Rule { Action = RuleAction.Allow, Direction = Direction.Out, Protocol = Protocol.Tcp, ToPort = PortSpec.Single(443) }, Tokens.Rule("allow out 443/tcp"));

    [Fact]
    public void Short_form_deny_udp()
        => Assert.Equal(new Rule { Action = RuleAction.Deny, Protocol = Protocol.Udp, ToPort = PortSpec.Single(53) }, Tokens.Rule("deny 53/udp"));

    [Fact]
    public void Full_form_out_to_any_port()
        => Assert.Equal(new Rule { Action = RuleAction.Allow, Direction = Direction.Out, ToPort = PortSpec.Single(53) }, Tokens.Rule("allow out to any port 53"));

    [Fact]
    public void Proto_after_the_addresses_is_accepted_like_ufw()
        => Assert.Equal(
            new Rule { Action = RuleAction.Allow, Direction = Direction.Out, Interface = "tun0", Protocol = Protocol.Udp, ToPort = PortSpec.Single(53) },
            Tokens.Rule("allow out on tun0 to any port 53 proto udp"));

    [Fact]
    public void Proto_before_the_addresses_gives_the_same_rule()
        => Assert.Equal(Tokens.Rule("allow out on tun0 to any port 53 proto udp"), Tokens.Rule("allow out on tun0 proto udp to any port 53"));

    [Fact]
    public void From_network_only()
        => Assert.Equal(new Rule { Action = RuleAction.Allow, From = Net("10.0.0.0/8") }, Tokens.Rule("allow from 10.0.0.0/8"));

    [Fact]
    public void Incoming_interface_source_and_port()
        => Assert.Equal(
            new Rule { Action = RuleAction.Allow, Interface = "eth0", From = Net("1.2.3.4/32"), ToPort = PortSpec.Single(22), Protocol = Protocol.Tcp },
            Tokens.Rule("allow in on eth0 from 1.2.3.4 to any port 22 proto tcp"));

    [Fact]
    public void Keywords_are_case_insensitive()
        => Assert.Equal(Tokens.Rule("allow out 443/tcp"), Tokens.Rule("ALLOW OUT 443/TCP"));

    [Theory]
    [InlineData("reject out to 192.168.0.0/16", RuleAction.Reject)]
    [InlineData("limit 22/tcp", RuleAction.Limit)]
    [InlineData("deny in from 2001:db8::/32", RuleAction.Deny)]
    public void Every_action_parses(string line, RuleAction action) => Assert.Equal(action, Tokens.Rule(line).Action);

    [Fact]
    public void Log_and_log_all_follow_direction_and_interface()
    {
        Assert.Equal(RuleLogging.New, Tokens.Rule("allow out log 443/tcp").Logging);
        Assert.Equal(RuleLogging.All, Tokens.Rule("allow out on eth0 log-all to any port 80 proto tcp").Logging);
    }

    [Fact]
    public void Comment_is_kept_verbatim()
        => Assert.Equal("VPN DNS", Tokens.Rule("allow out on tun0 to any port 53 proto udp comment 'VPN DNS'").Comment);

    [Fact]
    public void Port_lists_and_ranges_with_protocol()
    {
        var rule = Tokens.Rule("allow out to any port 80,443,8000:8080 proto tcp");
        Assert.Equal([new PortRange(80, 80), new PortRange(443, 443), new PortRange(8000, 8080)], rule.ToPort!.Ranges);
        Assert.Equal(Tokens.Rule("allow 1000:2000/udp").ToPort, new PortSpec([new PortRange(1000, 2000)]));
    }

    [Fact]
    public void Host_bits_are_cleared_and_full_prefix_is_a_host()
    {
        Assert.Equal(Net("10.0.0.0/8"), Tokens.Rule("allow from 10.0.0.1/8").From);
        Assert.Equal(Net("10.1.2.3/32"), Tokens.Rule("allow from 10.1.2.3/32").From);
        Assert.Equal(Net("10.0.0.0/8"), Tokens.Rule("allow from 10.0.0.0/255.0.0.0").From);
        Assert.Equal(Net("2001:db8::/32"), Tokens.Rule("allow from 2001:db8:1::5/32").From);
    }

    [Fact]
    public void Service_names_resolve_to_port_and_protocol()
    {
        Assert.Equal(Tokens.Rule("allow 22/tcp"), Tokens.Rule("allow ssh"));
        Assert.Equal(Tokens.Rule("allow out to any port 53"), Tokens.Rule("allow out to any port domain"));
    }

    [Fact]
    public void Routed_rules_use_the_route_prefix()
    {
        var rule = Tokens.Rule("route allow in on eth1 to 10.1.0.0/16 port 80 proto tcp");
        Assert.Equal(Direction.Forward, rule.Direction);
        Assert.Equal("eth1", rule.Interface);
    }

    [Fact]
    public void Bare_on_means_incoming_like_ufws_default_direction()
        => Assert.Equal(Tokens.Rule("allow in on eth0 to any port 22 proto tcp"), Tokens.Rule("allow on eth0 to any port 22 proto tcp"));

    [Fact]
    public void Interface_wildcard_suffix()
        => Assert.Equal("wg+", Tokens.Rule("allow in on wg+ to any port 51820 proto udp").Interface);

    [Fact]
    public void Ipv4_only_protocols_restrict_the_family()
    {
        Assert.Equal(AddressFamilies.IPv4, Tokens.Rule("allow out proto igmp to any").Families);
        Assert.Equal(AddressFamilies.IPv6, Tokens.Rule("allow out to 2001:db8::1 port 80 proto tcp").Families);
    }

    // ---- commands ----

    [Theory]
    [InlineData("default deny outgoing", Direction.Out, DefaultPolicy.Deny)]
    [InlineData("default allow incoming", Direction.In, DefaultPolicy.Allow)]
    [InlineData("default reject routed", Direction.Forward, DefaultPolicy.Reject)]
    [InlineData("default deny forward", Direction.Forward, DefaultPolicy.Deny)]
    [InlineData("default deny input", Direction.In, DefaultPolicy.Deny)]
    [InlineData("default allow output", Direction.Out, DefaultPolicy.Allow)]
    [InlineData("default deny", Direction.In, DefaultPolicy.Deny)]
    public void Default_commands(string line, Direction direction, DefaultPolicy policy)
        => Assert.Equal(new SetDefaultCommand(direction, policy), UfwGrammar.ParseCommand(Tokens.Split(line)).Value);

    [Theory]
    [InlineData("logging on", LogLevel.Low)]
    [InlineData("logging off", LogLevel.Off)]
    [InlineData("logging low", LogLevel.Low)]
    [InlineData("logging medium", LogLevel.Medium)]
    [InlineData("logging high", LogLevel.High)]
    [InlineData("logging full", LogLevel.Full)]
    public void Logging_commands(string line, LogLevel level)
        => Assert.Equal(new SetLoggingCommand(level), UfwGrammar.ParseCommand(Tokens.Split(line)).Value);

    [Fact]
    public void Delete_insert_and_add_commands()
    {
        Assert.Equal(new DeleteRuleNumberCommand(3), UfwGrammar.ParseCommand(["delete", "3"]).Value);
        Assert.Equal(new DeleteRuleCommand(Tokens.Rule("allow out 443/tcp")), UfwGrammar.ParseCommand(Tokens.Split("delete allow out 443/tcp")).Value);
        Assert.Equal(new InsertRuleCommand(1, Tokens.Rule("deny out to 10.0.0.0/8")), UfwGrammar.ParseCommand(Tokens.Split("insert 1 deny out to 10.0.0.0/8")).Value);
        Assert.Equal(new AddRuleCommand(Tokens.Rule("allow 22")), UfwGrammar.ParseCommand(["allow", "22"]).Value);
    }

    // ---- bad input: every class, message quoting the token, with a hint ----

    [Theory]
    [InlineData("allow 70000", "Bad port '70000': ports are 1-65535", "70000")]
    [InlineData("allow 0/tcp", "Bad port '0': ports are 1-65535", "0/tcp")]
    [InlineData("allow out to any port 65536", "Bad port '65536'", "65536")]
    [InlineData("allow 2000:1000/tcp", "Bad port range '2000:1000'", "2000:1000/tcp")]
    [InlineData("allow 22/icmp", "Unsupported protocol 'icmp'", "22/icmp")]
    [InlineData("allow out to any port 53 proto icmp", "Unsupported protocol 'icmp'", "icmp")]
    [InlineData("allow from 10.0.0.300", "Bad address '10.0.0.300'", "10.0.0.300")]
    [InlineData("allow from 10.0.0", "Bad address '10.0.0'", "10.0.0")]
    [InlineData("allow from 10.0.0.0/33", "Bad prefix length '33'", "10.0.0.0/33")]
    [InlineData("allow to 2001:db8::/129", "Bad prefix length '129'", "2001:db8::/129")]
    [InlineData("allow from fe80::1%eth0", "Bad address 'fe80::1%eth0'", "fe80::1%eth0")]
    [InlineData("allow in on eth0/1 to any port 22", "Bad interface name 'eth0/1'", "eth0/1")]
    [InlineData("allow in on averyveryverylongname to any port 22", "longer than 15 characters", "averyveryverylongname")]
    [InlineData("allow in on eth0:1 to any port 22", "interface aliases", "eth0:1")]
    [InlineData("allow in on +", "Bad interface name '+'", "+")]
    [InlineData("allow out to any port 80,443", "Must specify 'tcp' or 'udp' with multiple ports", null)]
    [InlineData("allow 1000:2000", "Must specify 'tcp' or 'udp' with multiple ports", null)]
    [InlineData("allow out to any port 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 proto tcp", "too many ports", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16")]
    [InlineData("allow out to any port 53 proto esp", "Invalid port with protocol 'esp'", null)]
    [InlineData("allow from 10.0.0.1 to 2001:db8::1", "Mixed IP versions", null)]
    [InlineData("allow out to 2001:db8::1 proto igmp", "IPv4 only", null)]
    [InlineData("allow", "Missing rule after 'allow'", null)]
    [InlineData("allow out", "Need 'to' or 'from' clause", null)]
    [InlineData("allow out to", "Option 'to' missing required argument", "to")]
    [InlineData("allow out to any port", "Option 'port' missing required argument", "port")]
    [InlineData("allow out to any port 53 proto", "Option 'proto' missing required argument", "proto")]
    [InlineData("allow out to any port 53 comment", "Option 'comment' missing required argument", "comment")]
    [InlineData("allow out to any port 53 bogus", "Invalid token 'bogus'", "bogus")]
    [InlineData("allow out to any port 53 proto udp junk", "Invalid token 'junk'", "junk")]
    [InlineData("allow out port 53", "Need 'from' or 'to' with 'port'", "port")]
    [InlineData("allow out to any to any", "'to' given twice", "to")]
    [InlineData("allow out to any port 53 proto tcp proto udp", "'proto' given twice", "proto")]
    [InlineData("allow out to any app OpenSSH", "Application profiles", "app")]
    [InlineData("route allow on eth0 to any port 22 proto tcp", "Invalid interface clause for route rule", "on")]
    [InlineData("allow out to any port 443/tcp", "Bad port '443/tcp'", "443/tcp")]
    [InlineData("allow out to any port nosuchservice", "unknown service name", "nosuchservice")]
    [InlineData("allow 10.0.0.1", "Bad port '10.0.0.1'", "10.0.0.1")]
    [InlineData("allow in on eth0 22/tcp", "Invalid token '22/tcp'", "22/tcp")]
    [InlineData("allow out to any port 53 log", "Option 'log' not allowed here", "log")]
    [InlineData("allow out to any port 53 comment 'say\"hi\"'", "comments may not contain quotes", null)]
    [InlineData("alow 22", "Invalid command 'alow'", "alow")]
    [InlineData("default deny sideways", "Invalid direction 'sideways'", "sideways")]
    [InlineData("default maybe outgoing", "Invalid policy 'maybe'", "maybe")]
    [InlineData("default deny outgoing now", "Unexpected token 'now'", "now")]
    [InlineData("logging loud", "Invalid logging level 'loud'", "loud")]
    [InlineData("delete 0", "Invalid rule number '0'", "0")]
    [InlineData("delete -1", "Invalid rule number '-1'", "-1")]
    [InlineData("delete 2 3", "Unexpected token '3'", "3")]
    [InlineData("insert 0 allow 22", "Cannot insert rule at position '0'", "0")]
    [InlineData("insert x allow 22", "Cannot insert rule at position 'x'", "x")]
    [InlineData("insert 1", "Usage: insert NUM RULE", null)]
    [InlineData("route allow out on eth0 to any port 80 proto tcp", "not supported yet", "out")]
    [InlineData("route allow to any port 80 proto tcp", null, null)]
    public void Bad_input_gives_a_clear_error(string line, string? message, string? token)
    {
        if (message is null)
        {
            // route rules without an interface are fine (ufw accepts them too)
            Assert.True(UfwGrammar.ParseCommand(Tokens.Split(line)).Succeeded);
            return;
        }

        var error = Tokens.Error(line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("ERROR: ", error.ToString(), StringComparison.Ordinal);
        if (token is not null)
        {
            Assert.Equal(token, error.Token);
            Assert.Equal(token, Tokens.Split(line)[error.TokenIndex]);
        }
    }

    [Fact]
    public void Every_error_is_reported_not_just_the_first()
    {
        var result = UfwGrammar.ParseCommand(Tokens.Split("allow in on eth0/1 from 10.0.0.300 to any port 70000 proto icmp"));
        Assert.Equal(4, result.Errors.Count);
    }

    [Fact]
    public void Errors_have_hints()
    {
        Assert.Equal("did you mean 'allow'?", Tokens.Error("alow 22").Hint);
        Assert.Contains("proto", Tokens.Error("allow out to any port 80,443").Hint, StringComparison.Ordinal);
        Assert.Contains("to any port 22 proto tcp", Tokens.Error("allow in on eth0 22/tcp").Hint, StringComparison.Ordinal);
        Assert.Equal("did you mean 'proto'?", Tokens.Error("allow out to any port 53 prot udp").Hint);
    }

    [Fact]
    public void Control_characters_in_bad_tokens_are_escaped()
        => Assert.Contains("\\n", Tokens.Error("allow out to any port 5\n3").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("allow 22", "allow 22")]
    [InlineData("allow out 443/tcp", "allow out 443/tcp")]
    [InlineData("allow out on tun0 to any port 53 proto udp", "allow out on tun0 to any port 53 proto udp")]
    [InlineData("allow from 10.0.0.1/8", "allow from 10.0.0.0/8")]
    [InlineData("allow in on eth0 from 1.2.3.4 to any port 22 proto tcp", "allow in on eth0 from 1.2.3.4 to any port 22 proto tcp")]
    [InlineData("allow out on tun0 log to any port 53 proto udp comment 'VPN DNS'", "allow out on tun0 log to any port 53 proto udp comment 'VPN DNS'")]
    [InlineData("allow out proto esp to any", "allow out to any proto esp")]
    [InlineData("route allow in on eth1 to 10.1.0.0/16 port 80 proto tcp", "route allow in on eth1 to 10.1.0.0/16 port 80 proto tcp")]
    public void ToUfwString_prints_the_canonical_command(string line, string expected)
        => Assert.Equal(expected, Tokens.Rule(line).ToUfwString());
}

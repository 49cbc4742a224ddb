using Outgate.Linux.Queue;

namespace Outgate.Linux.Tests.Queue;

/// <summary>The rule text for the DNS answer queue (pure: nothing is installed).</summary>
public class DnsQueueRuleTests
{
    [Fact]
    public void Without_a_DNS_queue_nothing_is_added()
    {
        var options = new QueueRuleOptions();
        Assert.Empty(QueueRuleInstaller.CompatDnsCommands(options, ipv6: false));
        Assert.DoesNotContain(QueueRuleInstaller.NativeDnsChain, QueueRuleInstaller.NativeRuleset(options, withQueue: true));
    }

    [Theory]
    [InlineData(false, "53:65535")]
    [InlineData(true, "73:65535")]
    public void Compat_commands_queue_UDP_and_TCP_data_from_port_53_with_bypass_on_every_input_interface(bool ipv6, string tcpLength)
    {
        var commands = QueueRuleInstaller.CompatDnsCommands(new QueueRuleOptions { DnsQueue = 7 }, ipv6).Select(c => string.Join(' ', c)).ToArray();
        Assert.Equal("-w -t mangle -N OUTGATE-DNS", commands[0]);
        Assert.Equal("-w -t mangle -A OUTGATE-DNS -p udp --sport 53 -j NFQUEUE --queue-num 7 --queue-bypass", commands[1]);
        Assert.Equal("-w -t mangle -A OUTGATE-DNS -p tcp --sport 53 --tcp-flags SYN,ACK,RST SYN,ACK -j NFQUEUE --queue-num 7 --queue-bypass", commands[2]);
        Assert.Equal($"-w -t mangle -A OUTGATE-DNS -p tcp --sport 53 --tcp-flags SYN,RST NONE -m length --length {tcpLength} -j NFQUEUE --queue-num 7 --queue-bypass", commands[3]);
        Assert.Equal("-w -t mangle -A INPUT -j OUTGATE-DNS", commands[^1]); // no "-i": lo included
    }

    [Fact]
    public void The_native_chain_hooks_input_and_queues_with_bypass()
    {
        var text = QueueRuleInstaller.NativeRuleset(new QueueRuleOptions { DnsQueue = 7 }, withQueue: true);
        Assert.Contains("chain dns_input {", text);
        Assert.Contains("type filter hook input priority mangle; policy accept;", text);
        Assert.Contains("udp sport 53 queue num 7 bypass", text);
        Assert.Contains("tcp sport 53 tcp flags & (syn | ack | rst) == syn | ack queue num 7 bypass", text);
        Assert.Contains("meta nfproto ipv4 tcp sport 53 tcp flags & (syn | rst) == 0 meta length > 52 queue num 7 bypass", text);
        Assert.DoesNotContain("iif", text);
        // The compat path's native table (copy_mark only) never gets the DNS chain: iptables has it there.
        Assert.DoesNotContain("dns_input", QueueRuleInstaller.NativeRuleset(new QueueRuleOptions { DnsQueue = 7 }, withQueue: false));
    }

    [Fact]
    public void A_DNS_queue_among_the_connection_queues_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new QueueRuleOptions { FirstQueue = 4, QueueCount = 2, DnsQueue = 5 }.Validate());
        Assert.Equal(nameof(QueueRuleOptions.DnsQueue), error.ParamName);
        new QueueRuleOptions { FirstQueue = 4, QueueCount = 2, DnsQueue = 6 }.Validate();
    }
}

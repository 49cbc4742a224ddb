using Outgate.Linux.Queue;

namespace Outgate.Linux.Tests.Queue;

/// <summary>The queue rules with the kernel decision cache's mark: labelled TCP SYNs are not queued, nothing else changes.</summary>
public class KernelMarkRuleTests
{
    private const uint Kernel = 0x0010_0000;

    [Fact]
    public void Without_a_kernel_mark_no_rule_lets_anything_skip_the_queue()
    {
        var options = new QueueRuleOptions();
        Assert.DoesNotContain("0x00100000", QueueRuleInstaller.NativeRuleset(options, withQueue: true), StringComparison.Ordinal);
        Assert.DoesNotContain(QueueRuleInstaller.CompatCommands(options), c => c.Contains("RETURN"));
    }

    [Fact]
    public void Native_rules_accept_labelled_tcp_before_the_queue_and_copy_the_label_to_the_ct_mark()
    {
        var text = QueueRuleInstaller.NativeRuleset(new QueueRuleOptions { KernelMark = Kernel }, withQueue: true);
        var skip = text.IndexOf("meta l4proto tcp meta mark & 0x00100000 != 0 accept", StringComparison.Ordinal);
        Assert.True(skip > 0, text);
        Assert.True(skip < text.IndexOf("queue num", StringComparison.Ordinal), "the skip comes before the queue rule");
        Assert.Contains("meta mark & 0x00f00000 != 0 ct mark set meta mark", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compat_rules_return_labelled_tcp_first()
    {
        var commands = QueueRuleInstaller.CompatCommands(new QueueRuleOptions { KernelMark = Kernel });
        var first = commands.First(c => c.Contains("-A") && c.Contains(QueueRuleInstaller.CompatChain));
        Assert.Equal(["-p", "tcp", "-m", "mark", "--mark", "0x00100000/0x00100000", "-j", "RETURN"], first[5..]);
    }

    [Fact]
    public void A_kernel_mark_overlapping_a_verdict_bit_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new QueueRuleOptions { KernelMark = QueueRuleOptions.DefaultAllowMark }.Validate());
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }
}

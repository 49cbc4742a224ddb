using Outgate.Cli.Firewall;
using Outgate.Cli.Rules;
using Outgate.Policy;

namespace Outgate.Cli.Tests.Rules;

public class RuleLifetimeOptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 22, 30, 15, 500, TimeSpan.Zero);
    private static readonly Rule Curl = new() { Action = RuleAction.Allow, Direction = Direction.Out, Subject = new RuleSubject { App = "/usr/bin/curl" } };

    [Fact]
    public void A_duration_sets_expires_to_now_plus_the_duration_in_whole_seconds()
    {
        var command = RuleLifetimeOption.Apply(new AddRuleCommand(Curl), RuleLifetimeOption.Parse("1h"), Now, () => null);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 23, 30, 15, TimeSpan.Zero), ((AddRuleCommand)command).Rule.Expires);
    }

    [Fact]
    public void Until_reboot_stamps_the_boot_id()
    {
        var command = RuleLifetimeOption.Apply(new InsertRuleCommand(1, Curl), RuleLifetimeOption.Parse("until-reboot"), Now, () => "6f1c2e3a-1111-4222-8333-944455556666");
        var rule = ((InsertRuleCommand)command).Rule;
        Assert.Equal("6f1c2e3a-1111-4222-8333-944455556666", rule.BootId);
        Assert.Null(rule.Expires);
    }

    [Fact]
    public void Without_the_option_or_with_always_the_command_is_unchanged()
    {
        var add = new AddRuleCommand(Curl);
        Assert.Same(add, RuleLifetimeOption.Apply(add, RuleLifetimeOption.Parse(null), Now, () => null));
        Assert.Same(add, RuleLifetimeOption.Apply(add, RuleLifetimeOption.Parse("always"), Now, () => null));
    }

    [Theory]
    [InlineData("once", "cannot last for one connection")]
    [InlineData("soon", "is not a duration")]
    [InlineData("0m", "is not a duration")]
    public void Bad_values_are_refused_with_a_hint(string text, string message)
    {
        var ex = Assert.Throws<FirewallException>(() => RuleLifetimeOption.Parse(text));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, ex.ExitCode);
    }

    [Fact]
    public void For_on_a_delete_is_refused()
    {
        var ex = Assert.Throws<FirewallException>(() => RuleLifetimeOption.Apply(new DeleteRuleNumberCommand(1), RuleLifetimeOption.Parse("1h"), Now, () => null));
        Assert.Contains("only applies to rules being added", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Until_reboot_without_a_readable_boot_id_says_so()
    {
        var ex = Assert.Throws<FirewallException>(() => RuleLifetimeOption.Apply(new AddRuleCommand(Curl), RuleLifetimeOption.Parse("until-reboot"), Now, () => null));
        Assert.Contains(BootIdFile.Path, ex.Message, StringComparison.Ordinal);
    }
}

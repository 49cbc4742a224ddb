namespace Outgate.Policy.Tests;

public sealed class SubjectStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Status_shows_the_subject_under_To_and_the_time_left_under_From()
    {
        var rule = Tokens.Rule("allow out app /usr/bin/curl to any port 443 proto tcp") with { Expires = Now.AddMinutes(59).AddSeconds(30) };
        var text = UfwStatusFormatter.Format(new FirewallPolicy { Rules = [rule] }, UfwStatusView.Plain, active: true, Now, null);
        Assert.Contains("443/tcp (app /usr/bin/curl) ALLOW OUT   Anywhere (for 59m)        \n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbered_status_marks_expired_and_until_reboot_rules_and_keeps_their_numbers()
    {
        var policy = new FirewallPolicy
        {
            Rules =
            [
                Tokens.Rule("deny out app python3") with { Expires = Now.AddHours(-1) },
                Tokens.Rule("allow out user _apt to any port 80") with { BootId = "boot-a" },
                Tokens.Rule("allow out to any port 53") with { Expires = Now.AddDays(2).AddHours(3) },
            ],
        };
        var text = UfwStatusFormatter.Format(policy, UfwStatusView.Numbered, active: true, Now, "boot-a");
        Assert.Contains("[ 1] Anywhere (app python3)     DENY OUT    Anywhere (expired)         (out)", text, StringComparison.Ordinal);
        Assert.Contains("[ 2] 80 (user _apt)", text, StringComparison.Ordinal);
        Assert.Contains("Anywhere (until reboot)", text, StringComparison.Ordinal);
        Assert.Contains("[ 3] 53                         ALLOW OUT   Anywhere (for 2d 3h)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(59 * 60 + 59, "59m")]
    [InlineData(3600 + 90, "1h 1m")]
    [InlineData(7200, "2h")]
    [InlineData(86400 * 3, "3d")]
    [InlineData(5, "5s")]
    public void Time_left_is_rounded_down_to_two_units(int seconds, string expected)
        => Assert.Equal(expected, UfwStatusWriter.Remaining(TimeSpan.FromSeconds(seconds)));
}

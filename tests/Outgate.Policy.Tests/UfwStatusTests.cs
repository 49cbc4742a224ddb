namespace Outgate.Policy.Tests;

public sealed class UfwStatusTests
{
    private static string Lines(params string[] lines) => string.Join("\n", lines);

    [Fact]
    public void Inactive_prints_only_the_status()
        => Assert.Equal("Status: inactive", UfwStatusFormatter.Format(FirewallPolicy.Default, UfwStatusView.Verbose, active: false));

    [Fact]
    public void Verbose_header_matches_ufw()
        => Assert.Equal(
            "Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\nNew profiles: skip",
            UfwStatusFormatter.Format(FirewallPolicy.Default, UfwStatusView.Verbose, active: true));

    [Fact]
    public void Verbose_lists_ipv4_then_v6_lines_with_direction()
    {
        var policy = Recipes.Build("vpn-only-proto");
        Assert.Equal(
            Lines(
                "Status: active",
                "Logging: on (low)",
                "Default: deny (incoming), deny (outgoing), deny (routed)",
                "New profiles: skip",
                "",
                "To                         Action      From",
                "--                         ------      ----",
                "53/udp                     ALLOW OUT   Anywhere on tun0          ",
                "443/tcp                    ALLOW OUT   Anywhere on tun0          ",
                "53/udp (v6)                ALLOW OUT   Anywhere (v6) on tun0     ",
                "443/tcp (v6)               ALLOW OUT   Anywhere (v6) on tun0     ",
                ""),
            UfwStatusFormatter.Format(policy, UfwStatusView.Verbose, active: true));
    }

    [Fact]
    public void Plain_status_separates_incoming_and_outgoing_and_omits_IN()
    {
        var policy = new FirewallPolicy { Rules = [Tokens.Rule("allow 22/tcp"), Tokens.Rule("allow out 443/tcp"), Tokens.Rule("deny from 10.0.0.0/8 comment 'lan'")] };
        Assert.Equal(
            Lines(
                "Status: active",
                "",
                "To                         Action      From",
                "--                         ------      ----",
                "22/tcp                     ALLOW       Anywhere                  ",
                "Anywhere                   DENY        10.0.0.0/8                 # lan",
                "22/tcp (v6)                ALLOW       Anywhere (v6)             ",
                "",
                "443/tcp                    ALLOW OUT   Anywhere                  ",
                "443/tcp (v6)               ALLOW OUT   Anywhere (v6)             ",
                ""),
            UfwStatusFormatter.Format(policy, UfwStatusView.Plain, active: true));
    }

    [Fact]
    public void Numbered_status_has_one_line_per_rule_with_the_delete_number()
    {
        var policy = Recipes.Build("deny-all-allow-web-dns");
        Assert.Equal(
            Lines(
                "Status: active",
                "",
                "     To                         Action      From",
                "     --                         ------      ----",
                "[ 1] 80                         ALLOW OUT   Anywhere                   (out)",
                "[ 2] 443                        ALLOW OUT   Anywhere                   (out)",
                "[ 3] 53                         ALLOW OUT   Anywhere                   (out)",
                ""),
            UfwStatusFormatter.Format(policy, UfwStatusView.Numbered, active: true));
    }

    [Fact]
    public void Columns_for_one_rule()
    {
        Assert.Equal(("443/tcp", "ALLOW OUT", "Anywhere"), UfwStatusFormatter.Columns(Tokens.Rule("allow out 443/tcp"), v6: false));
        Assert.Equal(("53/udp (v6)", "ALLOW OUT", "Anywhere (v6) on tun0"), UfwStatusFormatter.Columns(Tokens.Rule("allow out on tun0 to any port 53 proto udp"), v6: true));
        Assert.Equal(("22/tcp on eth0", "ALLOW", "1.2.3.4"), UfwStatusFormatter.Columns(Tokens.Rule("allow in on eth0 from 1.2.3.4 to any port 22 proto tcp"), v6: false));
        Assert.Equal(("10.1.0.0/16 80/tcp", "ALLOW FWD", "Anywhere on eth1"), UfwStatusFormatter.Columns(Tokens.Rule("route allow in on eth1 to 10.1.0.0/16 port 80 proto tcp"), v6: false));
    }
}

using CsCheck;
using Outgate.Daemon.Options;
using Outgate.Daemon.Web;

namespace Outgate.Dashboard.Tests;

/// <summary>Pure pieces: the editor's shell-like splitting, --web parsing, destination grouping.</summary>
public sealed class CommandTokensTests
{
    [Theory]
    [InlineData("allow out 443", new[] { "allow", "out", "443" })]
    [InlineData("  sudo outgate  deny out  to 10.0.0.0/8 ", new[] { "deny", "out", "to", "10.0.0.0/8" })]
    [InlineData("allow out app '/opt/My App/bin/x' comment 'it''s'", new[] { "allow", "out", "app", "/opt/My App/bin/x", "comment", "its" })]
    [InlineData("allow out to domain \"*.example.com\"", new[] { "allow", "out", "to", "domain", "*.example.com" })]
    [InlineData(@"allow out app /a\ b", new[] { "allow", "out", "app", "/a b" })]
    public void Splits_like_a_shell(string text, string[] expected)
    {
        Assert.True(CommandTokens.TrySplit(text, out var tokens, out var error), error);
        Assert.Equal(expected, tokens);
    }

    [Fact]
    public void An_unterminated_quote_is_an_error_naming_it()
    {
        Assert.False(CommandTokens.TrySplit("allow out app 'oops", out _, out var error));
        Assert.Contains("unterminated single quote", error);
    }

    [Fact]
    public void Single_quoting_any_token_round_trips()
    {
        Gen.String.Where(s => s.Length > 0 && s != "sudo" && s != "outgate").Array[1, 5].Sample(tokens =>
        {
            var text = string.Join(' ', tokens.Select(t => "'" + t.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
            Assert.True(CommandTokens.TrySplit(text, out var back, out _));
            Assert.Equal(tokens, back);
        });
    }

    [Theory]
    [InlineData("127.0.0.1:9474", "127.0.0.1:9474")]
    [InlineData("[::1]:0", "[::1]:0")]
    [InlineData("localhost:8080", "127.0.0.1:8080")]
    public void Web_accepts_loopback_addresses(string text, string endpoint)
    {
        Assert.True(WebAddress.TryParse(text, out var e, out var error), error);
        Assert.Equal(endpoint, e!.ToString());
    }

    [Theory]
    [InlineData("0.0.0.0:9474", "not a loopback address")]
    [InlineData("192.168.1.2:80", "not a loopback address")]
    [InlineData("127.0.0.1", "not ADDR:PORT")]
    [InlineData("127.0.0.1:99999", "bad port")]
    [InlineData("example.com:80", "not an IP address")]
    public void Web_refuses_everything_else_with_a_reason(string text, string reason)
    {
        Assert.False(WebAddress.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Web_off_is_no_listener()
    {
        Assert.True(WebAddress.TryParse("off", out var e, out _));
        Assert.Null(e);
        var parsed = DaemonCommandLine.Parse(["--web", "off"], _ => null);
        Assert.Empty(parsed.Errors);
        Assert.Null(parsed.Options.Web);
        Assert.Equal("127.0.0.1:9474", DaemonCommandLine.Parse([], _ => null).Options.Web!.ToString());
        Assert.Equal("127.0.0.1:1234", DaemonCommandLine.Parse([], n => n == "OUTGATE_WEB" ? "127.0.0.1:1234" : null).Options.Web!.ToString());
    }

    [Theory]
    [InlineData("10.1.2.3", "10.1.2.0/24")]
    [InlineData("2001:db8:1:2::5", "2001:db8:1::/48")]
    public void Addresses_without_a_name_group_by_network(string address, string network) =>
        Assert.Equal(network, DashboardStats.NetworkOf(address));

    [Theory]
    [InlineData("api.github.com", "github.com")]
    [InlineData("example.org.", "example.org")]
    public void Names_group_by_their_last_two_labels(string name, string group) =>
        Assert.Equal(group, DashboardStats.DomainGroup(name));
}

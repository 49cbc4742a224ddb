using Outgate.Cli.Connections;

namespace Outgate.Cli.Tests.Connections;

public class PortFilterTests
{
    [Theory]
    [InlineData("443", 443, true)]
    [InlineData("443", 444, false)]
    [InlineData("80,443", 80, true)]
    [InlineData("80, 443", 443, true)]
    [InlineData("8000-8100", 8050, true)]
    [InlineData("8000:8100", 8100, true)]
    [InlineData("8000-8100", 8101, false)]
    [InlineData("65535", 65535, true)]
    public void Ports_lists_and_ranges_match(string text, int port, bool expected)
    {
        Assert.True(PortFilter.TryParse(text, out var f, out var error), error);
        Assert.Equal(expected, f!.Contains((ushort)port));
    }

    [Theory]
    [InlineData("0", "bad port '0'")]
    [InlineData("65536", "bad port '65536'")]
    [InlineData("http", "bad port 'http'")]
    [InlineData("-5", "bad port '-5'")]
    [InlineData("90-80", "write 80-90")]
    [InlineData("80,,443", "bad port ''")]
    [InlineData("8\u001b[31m", "8\\x1b[31m")]
    public void Bad_ports_are_refused_with_the_token_quoted(string text, string expected)
    {
        Assert.False(PortFilter.TryParse(text, out _, out var error));
        Assert.Contains(expected, error);
    }
}

using System.Text.Json;

namespace Outgate.Cli.Tests.Daemon;

public class ExplainCommandTests
{
    private const string Answer = """{"verdict":"deny","decidedBy":"rule 3","lines":["mode enforce","rule 3: deny out app /usr/bin/curl to 10.0.0.0/8 matched"]}""";

    [Fact]
    public async Task An_event_is_explained_by_its_id_with_the_verdict_the_deciding_rule_and_the_reasoning()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/explain", Answer);
        var (exit, output, error) = await CliRun.RunAsync("explain", "42", "--socket", daemon.SocketPath);

        Assert.True(exit == 0, error);
        Assert.Equal("event=42", Assert.Single(daemon.Requests).Query);
        Assert.Equal("Verdict: deny\nDecided by: rule 3\n  mode enforce\n  rule 3: deny out app /usr/bin/curl to 10.0.0.0/8 matched\n", output);
    }

    [Fact]
    public async Task A_hypothetical_connection_is_sent_as_query_parameters_with_the_user_as_a_uid()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/explain", Answer);
        var (exit, _, error) = await CliRun.RunAsync("explain", "--exe", "/usr/bin/curl", "--to", "10.0.0.2", "--port", "443",
            "--user", "root", "--unit", "backup.service", "--container", "web", "--socket", daemon.SocketPath);

        Assert.True(exit == 0, error);
        Assert.Equal("exe=%2Fusr%2Fbin%2Fcurl&to=10.0.0.2&port=443&proto=tcp&uid=0&unit=backup.service&container=web", Assert.Single(daemon.Requests).Query);
    }

    [Fact]
    public async Task Json_prints_the_daemons_answer()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/explain", Answer);
        var (exit, output, _) = await CliRun.RunAsync("explain", "42", "--json", "--socket", daemon.SocketPath);
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("deny", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("rule 3", doc.RootElement.GetProperty("decidedBy").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("lines").GetArrayLength());
    }

    [Theory]
    [InlineData(new[] { "explain" }, "say what to explain")]
    [InlineData(new[] { "explain", "42", "--exe", "/usr/bin/curl" }, "not both")]
    [InlineData(new[] { "explain", "abc" }, "bad event ID 'abc'")]
    [InlineData(new[] { "explain", "--exe", "curl", "--to", "10.0.0.2", "--port", "443" }, "give the full path")]
    [InlineData(new[] { "explain", "--exe", "/usr/bin/curl", "--port", "443" }, "--to is missing")]
    [InlineData(new[] { "explain", "--exe", "/usr/bin/curl", "--to", "example.com", "--port", "443" }, "bad --to 'example.com'")]
    [InlineData(new[] { "explain", "--exe", "/usr/bin/curl", "--to", "10.0.0.2", "--port", "70000" }, "bad --port '70000'")]
    [InlineData(new[] { "explain", "--exe", "/usr/bin/curl", "--to", "10.0.0.2", "--port", "53", "--proto", "icmp" }, "bad --proto 'icmp'")]
    [InlineData(new[] { "explain", "--exe", "/usr/bin/curl", "--to", "10.0.0.2", "--port", "53", "--user", "og-nobody-such" }, "unknown --user 'og-nobody-such'")]
    public async Task Bad_questions_exit_1_before_the_daemon_is_asked(string[] args, string expected)
    {
        await using var daemon = new FakeDaemon();
        var (exit, _, error) = await CliRun.RunAsync([.. args, "--socket", daemon.SocketPath]);
        Assert.Equal(1, exit);
        Assert.Contains(expected, error);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task A_daemon_error_is_printed_with_its_hint_and_exits_1()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/explain", """{"error":"no event 99","hint":"events older than 30d are pruned"}""", status: 404);
        var (exit, _, error) = await CliRun.RunAsync("explain", "99", "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Equal("outgate explain: no event 99 (events older than 30d are pruned)", error.Trim());
    }
}

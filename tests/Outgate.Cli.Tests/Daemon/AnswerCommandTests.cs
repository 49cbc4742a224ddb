using System.Text.Json;

namespace Outgate.Cli.Tests.Daemon;

public class AnswerCommandTests
{
    private static FakeDaemon DaemonWithPrompt12(string answer) => new FakeDaemon()
        .On("GET", "/v1/prompts", $$"""{"prompts":[{{PromptsCommandTests.PromptJson()}}]}""")
        .On("POST", "/v1/prompts/12/answer", answer);

    [Fact]
    public async Task Allow_for_an_hour_sends_verdict_duration_and_scope_and_says_what_was_allowed()
    {
        await using var daemon = DaemonWithPrompt12("""{"id":12,"verdict":"allow","rule":"allow out app /usr/bin/curl to 10.0.0.2 port 443 proto tcp","duration":"1h","released":3}""");
        var (exit, output, error) = await CliRun.RunAsync("answer", "12", "allow", "--for", "60m", "--scope", "app+port", "--socket", daemon.SocketPath);

        Assert.True(exit == 0, error);
        var post = Assert.Single(daemon.Requests, r => r.Method == "POST");
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal("allow", body.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("1h", body.RootElement.GetProperty("duration").GetString()); // normalised by RuleLifetime
        Assert.Equal("app+port", body.RootElement.GetProperty("scope").GetString());
        Assert.Equal(
            "Allowed /usr/bin/curl to 10.0.0.2 port 443/tcp for 1h (rule: allow out app /usr/bin/curl to 10.0.0.2 port 443 proto tcp); 3 waiting connections released.",
            output.Trim());
    }

    [Fact]
    public async Task Without_options_the_answer_is_once_for_app_and_host()
    {
        await using var daemon = DaemonWithPrompt12("""{"id":12,"verdict":"deny","duration":"once","released":1}""");
        var (exit, output, _) = await CliRun.RunAsync("answer", "12", "DENY", "--socket", daemon.SocketPath);

        Assert.Equal(0, exit);
        using var body = JsonDocument.Parse(daemon.Requests.Single(r => r.Method == "POST").Body);
        Assert.Equal("deny", body.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("once", body.RootElement.GetProperty("duration").GetString());
        Assert.Equal("app+host", body.RootElement.GetProperty("scope").GetString());
        Assert.Equal("Denied /usr/bin/curl to 10.0.0.2 port 443/tcp once; 1 waiting connection denied.", output.Trim());
    }

    [Fact]
    public async Task A_prompt_no_longer_listed_is_still_answered_and_named_by_its_id()
    {
        await using var daemon = new FakeDaemon()
            .On("GET", "/v1/prompts", """{"prompts":[]}""")
            .On("POST", "/v1/prompts/7/answer", """{"id":7,"verdict":"allow","rule":"allow out app /bin/x","duration":"always","released":0}""");
        var (exit, output, _) = await CliRun.RunAsync("answer", "7", "allow", "--for", "always", "--socket", daemon.SocketPath);
        Assert.Equal(0, exit);
        Assert.Equal("Allowed prompt 7 always (rule: allow out app /bin/x); 0 waiting connections released.", output.Trim());
    }

    [Fact]
    public async Task An_answered_or_expired_prompt_exits_1_and_points_at_outgate_prompts()
    {
        await using var daemon = new FakeDaemon()
            .On("GET", "/v1/prompts", """{"prompts":[]}""")
            .On("POST", "/v1/prompts/12/answer", """{"error":"no such prompt 12"}""", status: 404);
        var (exit, output, error) = await CliRun.RunAsync("answer", "12", "allow", "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("outgate answer: no pending prompt 12: it was already answered, or it expired", error);
        Assert.Contains("`outgate prompts`", error);
    }

    [Fact]
    public async Task Every_bad_argument_is_reported_at_once_and_the_daemon_is_not_called()
    {
        await using var daemon = new FakeDaemon();
        var (exit, _, error) = await CliRun.RunAsync("answer", "twelve", "maybe", "--for", "3q", "--scope", "world", "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Contains("bad prompt ID 'twelve'", error);
        Assert.Contains("bad verdict 'maybe': write allow or deny", error);
        Assert.Contains("--for '3q' is not a duration", error);
        Assert.Contains("bad --scope 'world': use one of app, app+host, app+port", error);
        Assert.Empty(daemon.Requests);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("1.5")]
    public async Task Prompt_ids_are_positive_whole_numbers(string id)
    {
        var (exit, _, error) = await CliRun.RunAsync("answer", "--socket", "/tmp/og-none/outgate.sock", "--", id, "allow");
        Assert.Equal(1, exit);
        Assert.Contains($"bad prompt ID '{id}'", error);
    }
}

using System.Globalization;
using System.Text.Json;

namespace Outgate.Cli.Tests.Daemon;

public class PromptsCommandTests
{
    internal static string PromptJson(long id = 12, string exe = "/usr/bin/curl", int waiting = 3, string? domain = null)
    {
        var now = DateTimeOffset.UtcNow;
        var created = now.AddSeconds(-90).ToString("O", CultureInfo.InvariantCulture);
        var expires = now.AddSeconds(30).ToString("O", CultureInfo.InvariantCulture);
        return $$"""
            {"id":{{id}},"createdAt":"{{created}}","expiresAt":"{{expires}}","pid":123,"exe":{{JsonSerializer.Serialize(exe)}},
             "commandLine":"curl https://x","user":"root","uid":0,"unit":null,"container":null,"proto":"tcp","dst":"10.0.0.2",
             "dstPort":443,"domain":{{(domain is null ? "null" : JsonSerializer.Serialize(domain))}},"waiting":{{waiting}},"defaultVerdict":"deny"}
            """;
    }

    [Fact]
    public async Task Pending_prompts_are_listed_one_a_line_with_program_user_destination_and_waiting_count()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/prompts", $$"""{"prompts":[{{PromptJson()}},{{PromptJson(13, "/usr/bin/wget", 1, "example.com")}}]}""");
        var (exit, output, error) = await CliRun.RunAsync("prompts", "--socket", daemon.SocketPath);

        Assert.True(exit == 0, error);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ID", lines[0]);
        Assert.Contains("WAITING", lines[0]);
        Assert.StartsWith("12", lines[1]);
        Assert.Contains("/usr/bin/curl", lines[1]);
        Assert.Contains("root", lines[1]);
        Assert.Contains("10.0.0.2:443/tcp", lines[1]);
        Assert.Contains("1m3", lines[1]); // age 1m30s (give or take the test's own second)
        Assert.Contains("example.com (10.0.0.2):443/tcp", lines[2]);
        Assert.Equal(lines[0].IndexOf("DESTINATION", StringComparison.Ordinal), lines[1].IndexOf("10.0.0.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_pending_prompts_is_said_in_words_and_is_not_an_error()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/prompts", """{"prompts":[]}""");
        var (exit, output, _) = await CliRun.RunAsync("prompts", "--socket", daemon.SocketPath);
        Assert.Equal(0, exit);
        Assert.Equal("No pending prompts.", output.Trim());
    }

    [Fact]
    public async Task Json_prints_the_list_with_the_daemons_field_names()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/prompts", $$"""{"prompts":[{{PromptJson()}}]}""");
        var (exit, output, _) = await CliRun.RunAsync("prompts", "--json", "--socket", daemon.SocketPath);
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var p = doc.RootElement.GetProperty("prompts")[0];
        Assert.Equal(12, p.GetProperty("id").GetInt64());
        Assert.Equal("/usr/bin/curl", p.GetProperty("exe").GetString());
        Assert.Equal(443, p.GetProperty("dstPort").GetInt32());
        Assert.Equal(3, p.GetProperty("waiting").GetInt32());
        Assert.Equal("deny", p.GetProperty("defaultVerdict").GetString());
    }

    [Fact]
    public async Task Control_characters_in_a_program_name_are_escaped_in_the_table()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/prompts", $$"""{"prompts":[{{PromptJson(exe: "/tmp/evil\u001b]0;pwned\u0007")}}]}""");
        var (_, output, _) = await CliRun.RunAsync("prompts", "--socket", daemon.SocketPath);
        Assert.DoesNotContain('\u001b', output);
        Assert.Contains("/tmp/evil\\x1b]0;pwned\\x07", output);
    }

    [Fact]
    public async Task A_missing_daemon_exits_2_and_says_how_to_start_it()
    {
        var (exit, _, error) = await CliRun.RunAsync("prompts", "--socket", "/tmp/og-no-such-dir/outgate.sock");
        Assert.Equal(2, exit);
        Assert.Contains("outgate prompts: outgated is not running (no socket at /tmp/og-no-such-dir/outgate.sock): start it with", error);
    }

    [Fact]
    public async Task A_socket_nobody_listens_on_exits_2()
    {
        using var stale = new StaleSocket();
        var (exit, _, error) = await CliRun.RunAsync("prompts", "--socket", stale.Path);
        Assert.Equal(2, exit);
        Assert.Contains("nothing listens on", error);
    }

    [Fact]
    public async Task A_daemon_without_prompts_says_it_is_older_than_the_cli()
    {
        await using var daemon = new FakeDaemon(); // answers every path with the daemon's "no such endpoint" 404
        var (exit, _, error) = await CliRun.RunAsync("prompts", "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Contains("no such endpoint: GET /v1/prompts (this outgated is older than this outgate", error);
    }
}

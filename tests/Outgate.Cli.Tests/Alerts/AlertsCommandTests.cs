using System.Text.Json;
using Outgate.Cli.Alerts;
using Outgate.Cli.Daemon;
using Outgate.Cli.Tests.Daemon;

namespace Outgate.Cli.Tests.Alerts;

public sealed class AlertsCommandTests
{
    private const string Status = """{"version":"0.1.0","mode":"enforce"}""";

    private const string TwoAlerts = """
        {"alerts":[
          {"id":9,"time":"2026-11-26T05:10:00Z","type":"alert","severity":"critical","message":"bash connected back","pid":4242,"exe":"/usr/bin/bash","dst":"192.0.2.7","dstPort":4444,"proto":"tcp","rule":"connect-back"},
          {"id":7,"time":"2026-11-26T05:00:00Z","type":"alert","severity":"warning","message":"new program\u001b[31m","exe":"/opt/x/tool","domain":"example.org","dst":"198.51.100.1","dstPort":443,"proto":"tcp","rule":"new-app","acknowledged":{"time":"2026-11-26T05:05:00Z","by":"alice"}}
        ],"unacknowledged":1}
        """;

    [Fact]
    public async Task Lists_open_alerts_newest_first_as_a_table_with_ack_marks()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/status", Status).On("GET", "/v1/alerts", TwoAlerts);
        var (exit, output, error) = await CliRun.RunAsync("alerts", "--socket", daemon.SocketPath);

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ID\s+TIME\s+SEVERITY\s+DETECTOR\s+PROGRAM\s+DESTINATION\s+ACK\s+MESSAGE$", lines[0]);
        Assert.Matches(@"^9\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+critical\s+connect-back\s+bash\[4242\]\s+192\.0\.2\.7:4444/tcp\s+bash connected back$", lines[1]);
        Assert.StartsWith("7 ", lines[2], StringComparison.Ordinal);
        Assert.Contains("✓", lines[2], StringComparison.Ordinal);
        Assert.Contains("example.org", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output); // control characters from a program's name or message are escaped
        Assert.Equal("1 open alert; acknowledge with `outgate alerts ack ID...` or `outgate alerts ack --all`", lines[3]);
        Assert.Equal("unacked=true", daemon.Requests.Single(r => r.Path == "/v1/alerts").Query.TrimStart('?'));
    }

    [Fact]
    public async Task All_since_and_n_go_to_the_query_and_json_prints_each_alert_as_sent()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/status", Status).On("GET", "/v1/alerts", TwoAlerts);
        var (exit, output, error) = await CliRun.RunAsync("alerts", "--all", "--json", "-n", "5", "--since", "2026-11-26T00:00:00Z", "--socket", daemon.SocketPath);

        Assert.True(exit == 0, error);
        var query = daemon.Requests.Single(r => r.Path == "/v1/alerts").Query;
        Assert.Contains("limit=5", query, StringComparison.Ordinal);
        Assert.Contains("since=2026-11-26T00%3A00%3A00", query, StringComparison.Ordinal);
        Assert.DoesNotContain("unacked", query, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("alice", second.RootElement.GetProperty("acknowledged").GetProperty("by").GetString());
    }

    [Fact]
    public async Task Ack_reports_each_id_and_an_unknown_id_is_an_error_after_the_others()
    {
        await using var daemon = new FakeDaemon()
            .On("GET", "/v1/status", Status)
            .On("POST", "/v1/alerts/9/ack", """{"id":9,"acknowledged":{"time":"2026-11-26T05:20:00Z","by":"root"},"alreadyAcknowledged":false}""")
            .On("POST", "/v1/alerts/7/ack", """{"id":7,"acknowledged":{"time":"2026-11-26T05:05:00Z","by":"alice"},"alreadyAcknowledged":true}""")
            .On("POST", "/v1/alerts/8/ack", """{"error":"no alert with id 8","hint":"list alerts with `outgate alerts --all`"}""", 404);
        var (exit, output, error) = await CliRun.RunAsync("alerts", "ack", "9", "8", "7", "--socket", daemon.SocketPath);

        Assert.Equal(DaemonExitCodes.Usage, exit);
        Assert.Contains("Acknowledged alert 9.", output, StringComparison.Ordinal);
        Assert.Contains("Alert 7 was already acknowledged by alice", output, StringComparison.Ordinal);
        Assert.Contains("outgate alerts ack: no alert with id 8 (list alerts with `outgate alerts --all`)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ack_all_acknowledges_everything_open()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/status", Status)
            .On("POST", "/v1/alerts/ack-all", """{"acknowledged":3,"upTo":120,"by":"root"}""");
        var (exit, output, error) = await CliRun.RunAsync("alerts", "ack", "--all", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Equal("Acknowledged 3 alerts as root.", output.Trim());
    }

    [Theory]
    [InlineData("which alerts?", "alerts", "ack")]
    [InlineData("give alert ids or --all, not both", "alerts", "ack", "3", "--all")]
    [InlineData("'x' is not an alert id", "alerts", "ack", "x")]
    [InlineData("bad -n '0'", "alerts", "-n", "0")]
    [InlineData("bad --since 'yesterday-ish'", "alerts", "--since", "yesterday-ish")]
    public async Task Bad_command_lines_say_what_is_wrong(string message, params string[] args)
    {
        var (exit, _, error) = await CliRun.RunAsync([.. args, "--socket", "/nonexistent/og.sock"]);
        Assert.Equal(DaemonExitCodes.Usage, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_that_is_not_running_is_named_with_how_to_start_it()
    {
        var (exit, _, error) = await CliRun.RunAsync("alerts", "--socket", "/nonexistent/og.sock");
        Assert.Equal(DaemonExitCodes.Daemon, exit);
        Assert.Contains("outgate alerts: outgated is not running", error, StringComparison.Ordinal);
        Assert.Contains("systemctl start outgated", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Program_column_is_the_file_name_with_the_pid()
    {
        Assert.Equal("bash[12]", AlertTableWriter.Program(new EventRecord { Exe = "/usr/bin/bash", Pid = 12 }));
        Assert.Equal("pid 12", AlertTableWriter.Program(new EventRecord { Pid = 12 }));
        Assert.Equal("-", AlertTableWriter.Program(new EventRecord()));
    }
}

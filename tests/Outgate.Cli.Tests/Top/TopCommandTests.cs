using System.Text.Json;
using Outgate.Cli.Tests.Daemon;

namespace Outgate.Cli.Tests.Top;

public class TopCommandTests
{
    internal const string Traffic = """
        {"time":"2026-01-01T12:00:00Z","apps":[
          {"exe":"/usr/bin/curl","user":"alice","pids":[10],"connections":2,"bytesOutPerSecond":1536,"bytesInPerSecond":100,"bytesOut":52428800,"bytesIn":2048,
           "topDestinations":[{"address":"10.0.0.2","domain":"upload.example","port":443,"bytesOut":52428800,"bytesIn":2048}]},
          {"exe":"/usr/bin/wget","user":"bob","pids":[11],"connections":5,"bytesOutPerSecond":10,"bytesInPerSecond":9000,"bytesOut":100,"bytesIn":900000,
           "topDestinations":[{"address":"10.0.0.3","port":80,"bytesOut":100,"bytesIn":900000}]}
        ],"meter":{"flows":7,"unattributedFlows":0,"untrackedFlows":0,"lastDumpEntries":7,"lastDumpMilliseconds":0.4,"sweeps":12,"rateSeconds":3}}
        """;

    [Fact]
    public async Task Without_a_terminal_top_prints_one_table_sorted_by_upload_rate()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/traffic", Traffic);
        var (exit, output, error) = await CliRun.RunAsync("top", "--socket", daemon.SocketPath);

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("outgate top: 2 applications at ", lines[0], StringComparison.Ordinal);
        Assert.Equal(["APP", "USER", "CONN", "OUT/S", "IN/S", "TOTAL", "OUT", "TOTAL", "IN", "TOP", "DESTINATION"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("/usr/bin/curl", lines[2], StringComparison.Ordinal);
        Assert.Equal(["/usr/bin/curl", "alice", "2", "1.5", "KiB/s", "100", "B/s", "50.0", "MiB", "2.0", "KiB", "upload.example:443"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("10.0.0.3:80", lines[3], StringComparison.Ordinal);
        Assert.Single(daemon.Requests);
    }

    [Fact]
    public async Task Sort_by_in_puts_the_biggest_downloader_first()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/traffic", Traffic);
        var (exit, output, _) = await CliRun.RunAsync("top", "--once", "--sort", "in", "--socket", daemon.SocketPath);
        Assert.Equal(0, exit);
        Assert.StartsWith("/usr/bin/wget", output.Split('\n')[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_prints_one_snapshot_with_the_api_field_names()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/traffic", Traffic);
        var (exit, output, _) = await CliRun.RunAsync("top", "--json", "--socket", daemon.SocketPath);
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var curl = json.RootElement.GetProperty("apps")[0];
        Assert.Equal("/usr/bin/curl", curl.GetProperty("exe").GetString());
        Assert.Equal(52428800, curl.GetProperty("bytesOut").GetInt64());
        Assert.Equal("upload.example", curl.GetProperty("topDestinations")[0].GetProperty("domain").GetString());
        Assert.Equal(12, json.RootElement.GetProperty("meter").GetProperty("sweeps").GetInt32());
    }

    [Theory]
    [InlineData("--interval", "0", "bad --interval '0'")]
    [InlineData("--interval", "soon", "bad --interval 'soon'")]
    [InlineData("--interval", "2h", "bad --interval '2h'")]
    [InlineData("--sort", "speed", "bad --sort 'speed': use one of out, in, connections, name")]
    public async Task Bad_options_are_named_and_exit_1_without_asking_the_daemon(string option, string value, string message)
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/traffic", Traffic);
        var (exit, _, error) = await CliRun.RunAsync("top", option, value, "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Contains("outgate top: " + message, error, StringComparison.Ordinal);
        Assert.Contains("See `outgate top --help`.", error, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task No_daemon_is_exit_2_with_how_to_start_it()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"og-none-{Guid.NewGuid():N}.sock");
        var (exit, _, error) = await CliRun.RunAsync("top", "--socket", socket);
        Assert.Equal(2, exit);
        Assert.Contains($"outgate top: outgated is not running (no socket at {socket}): start it with", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_daemon_without_the_endpoint_says_to_update()
    {
        await using var daemon = new FakeDaemon(); // answers 404 "no such endpoint" to everything
        var (exit, _, error) = await CliRun.RunAsync("top", "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Contains("update it so both are the same version", error, StringComparison.Ordinal);
    }
}

using Outgate.Cli.Top;

namespace Outgate.Cli.Tests.Top;

public class TopRowsTests
{
    private static AppTraffic App(string? exe, double outRate = 0, double inRate = 0, int connections = 0, string? user = "alice",
        string? unit = null, string? container = null, long bytesOut = 0, params DestinationTraffic[] destinations) =>
        new(exe, user, unit, container, [1], connections, outRate, inRate, bytesOut, 0, destinations);

    private static readonly AppTraffic[] Apps =
    [
        App("/usr/bin/curl", outRate: 100, inRate: 5, connections: 1),
        App("/usr/bin/wget", outRate: 10, inRate: 500, connections: 3),
        App(null, unit: "backup.service", outRate: 100, connections: 2, bytesOut: 999),
        App("/usr/bin/Zip", connections: 3, user: "bob", destinations: new DestinationTraffic("10.9.9.9", "files.example", 22, 0, 0)),
    ];

    private static string[] Names(TopSort sort, string? filter = null) => TopRows.Select(Apps, sort, filter).Select(TopRows.Name).ToArray();

    [Fact]
    public void Out_sorts_by_rate_then_total_then_name() =>
        Assert.Equal(["backup.service", "/usr/bin/curl", "/usr/bin/wget", "/usr/bin/Zip"], Names(TopSort.Out));

    [Fact]
    public void In_sorts_by_download_rate() =>
        Assert.Equal("/usr/bin/wget", Names(TopSort.In)[0]);

    [Fact]
    public void Connections_ties_break_by_name_ignoring_case() =>
        Assert.Equal(["/usr/bin/wget", "/usr/bin/Zip", "backup.service", "/usr/bin/curl"], Names(TopSort.Connections));

    [Fact]
    public void Name_sorts_a_to_z_ignoring_case() =>
        Assert.Equal(["/usr/bin/curl", "/usr/bin/wget", "/usr/bin/Zip", "backup.service"], Names(TopSort.Name));

    [Theory]
    [InlineData("CURL", new[] { "/usr/bin/curl" })]
    [InlineData("bob", new[] { "/usr/bin/Zip" })]
    [InlineData("files.example", new[] { "/usr/bin/Zip" })]
    [InlineData("10.9.9", new[] { "/usr/bin/Zip" })]
    [InlineData("backup", new[] { "backup.service" })]
    [InlineData("nothing-matches", new string[0])]
    [InlineData("  ", new[] { "/usr/bin/curl", "/usr/bin/wget", "/usr/bin/Zip", "backup.service" })]
    public void Filter_matches_any_shown_text_case_insensitively(string filter, string[] expected) =>
        Assert.Equal(expected, Names(TopSort.Name, filter));

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(52428800, "50.0 MiB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3.0 GiB")]
    public void Bytes_read_in_binary_units(long bytes, string text) => Assert.Equal(text, TopRows.Bytes(bytes));

    [Fact]
    public void Names_fall_back_to_unit_then_container()
    {
        Assert.Equal("backup.service", TopRows.Name(App(null, unit: "backup.service")));
        Assert.Equal("container web", TopRows.Name(App(null, container: "web")));
        Assert.Equal("(unknown program)", TopRows.Name(App(null)));
    }

    [Fact]
    public void Top_destination_prefers_the_domain_and_says_dash_when_none()
    {
        Assert.Equal("files.example:22", TopRows.TopDestination(Apps[3]));
        Assert.Equal("10.0.0.1:53", TopRows.TopDestination(App("/x", destinations: new DestinationTraffic("10.0.0.1", null, 53, 1, 1))));
        Assert.Equal("-", TopRows.TopDestination(Apps[0]));
    }

    [Fact]
    public void The_text_table_aligns_columns_and_says_when_there_is_no_traffic()
    {
        var text = TopRows.Text([], DateTimeOffset.UnixEpoch, TopSort.Out, "curl");
        Assert.Contains("by out, filter \"curl\"", text, StringComparison.Ordinal);
        Assert.EndsWith("(no traffic seen yet)\n", text, StringComparison.Ordinal);

        var lines = TopRows.Text(TopRows.Select(Apps, TopSort.Name, null), DateTimeOffset.UnixEpoch, TopSort.Name, null).Split('\n');
        var header = lines[1];
        Assert.All(lines[2..6], l => Assert.Equal(header.IndexOf("USER", StringComparison.Ordinal), l.IndexOf(l.Contains("bob") ? "bob" : "alice", StringComparison.Ordinal)));
    }
}

using System.Net;
using System.Text.Json;
using Outgate.Cli.Connections;
using Outgate.Linux.SockDiag;

namespace Outgate.Cli.Tests.Connections;

public class ConnectionOutputTests
{
    [Theory]
    [InlineData("10.0.0.1", 443, false, "10.0.0.1:443")]
    [InlineData("fd00::1", 443, false, "[fd00::1]:443")]
    [InlineData("0.0.0.0", 0, true, "*:*")]
    [InlineData("::", 0, true, "*:*")]
    [InlineData("0.0.0.0", 0, false, "0.0.0.0:*")]
    public void Endpoints_are_printed_numerically(string address, int port, bool peer, string expected) =>
        Assert.Equal(expected, ConnectionFormat.Endpoint(IPAddress.Parse(address), (ushort)port, peer));

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(1023UL, "1023")]
    [InlineData(1536UL, "1.5K")]
    [InlineData(52428800UL, "50M")]
    public void Byte_counts_are_compact(ulong bytes, string expected) => Assert.Equal(expected, ConnectionFormat.Bytes(bytes));

    [Fact]
    public void Json_document_has_the_documented_field_names()
    {
        var row = ConnectionQueryTests.Row() with { BytesSent = 10, BytesReceived = 20, RttMilliseconds = 0.5, SystemdUnit = "ssh.service" };
        var doc = new ConnectionsDocument(ConnectionJson.SchemaName, DateTimeOffset.UnixEpoch, true, [], [ConnectionJson.From(row)]);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(doc, ConnectionJsonContext.Default.ConnectionsDocument));
        Assert.Equal("outgate.connections/v1", json.RootElement.GetProperty("schema").GetString());
        var c = json.RootElement.GetProperty("connections")[0];
        Assert.Equal(ConnectionJson.FieldNames, c.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("tcp", c.GetProperty("proto").GetString());
        Assert.Equal("ipv4", c.GetProperty("family").GetString());
        Assert.Equal(443, c.GetProperty("remote_port").GetInt32());
        Assert.Equal("ESTABLISHED", c.GetProperty("state").GetString());
        Assert.Equal("ssh.service", c.GetProperty("unit").GetString());
        Assert.Equal(10UL, c.GetProperty("bytes_sent").GetUInt64());
    }

    [Fact]
    public void Csv_quotes_separators_and_defuses_formulas()
    {
        var row = ConnectionQueryTests.Row() with { CommandLine = "curl -d \"a,b\" x", Program = "=cmd" };
        var lines = ConnectionCsvWriter.Render([row]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ConnectionJson.FieldNames), lines[0]);
        Assert.Contains("\"curl -d \"\"a,b\"\" x\"", lines[1]);
        Assert.Contains(",'=cmd,", lines[1]);
    }

    [Fact]
    public void Table_escapes_control_characters_in_process_names()
    {
        var row = ConnectionQueryTests.Row(program: "evil\u001b]0;pwned\u0007");
        var text = new ConnectionTableWriter(wide: false, hash: false).Render([row]);
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("evil\\x1b]0;pwned\\x07", text);
    }

    [Fact]
    public void Table_has_a_header_and_one_aligned_line_per_row()
    {
        var rows = new[] { ConnectionQueryTests.Row(), ConnectionQueryTests.Row(proto: SocketProtocol.Udp, local: "::1", remote: "::", rport: 0, state: SocketState.Close, inode: 99) };
        var lines = new ConnectionTableWriter(wide: true, hash: true).Render(rows).TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("PROTO", lines[0]);
        Assert.EndsWith("COMMAND", lines[0]);
        Assert.Contains("udp6", lines[2]);
        Assert.Contains("UNCONN", lines[2]);
        Assert.Equal(lines[0].IndexOf("REMOTE", StringComparison.Ordinal), lines[1].IndexOf("10.0.0.2", StringComparison.Ordinal));
    }

    [Fact]
    public void Watch_diff_reports_new_and_closed_rows_by_key()
    {
        var a = ConnectionQueryTests.Row(inode: 1);
        var b = ConnectionQueryTests.Row(inode: 2);
        var c = ConnectionQueryTests.Row(inode: 3);
        var (added, closed) = ConnectionWatch.Diff(
            new() { [a.Key] = a, [b.Key] = b },
            new() { [b.Key] = b, [c.Key] = c });
        Assert.Equal([c.Key], added);
        Assert.Equal([a], closed);
    }
}

using System.Text;
using Outgate.Daemon.Alerts.Sinks;
using Outgate.Daemon.Events;

namespace Outgate.EndToEnd.Tests.Sinks;

public sealed class SyslogFormatterTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 26, 5, 0, 0, TimeSpan.Zero);

    private static DaemonEvent Alert(EventSeverity severity = EventSeverity.Critical, string? message = "bash dialled out") => new()
    {
        Id = 42,
        Time = Time.AddTicks(1234567),
        Type = EventType.Alert,
        Severity = severity,
        Message = message,
        Rule = "connect-back",
        Exe = "/usr/bin/bash",
        Pid = 4242,
        User = "alice",
        Dst = "192.0.2.7",
        DstPort = 4444,
        Domain = "evil.example",
        Verdict = "reject",
        Details = "tool=bash; stdin=socket",
    };

    private static string Text(DaemonEvent e, string host = "web1") => Encoding.UTF8.GetString(SyslogFormatter.Format(e, host, 77));

    [Theory]
    [InlineData(EventSeverity.Critical, 130)]
    [InlineData(EventSeverity.Error, 131)]
    [InlineData(EventSeverity.Warning, 132)]
    [InlineData(EventSeverity.Notice, 133)]
    [InlineData(EventSeverity.Info, 134)]
    [InlineData(EventSeverity.Debug, 135)]
    public void Priority_is_local0_times_8_plus_the_syslog_severity(EventSeverity severity, int pri)
    {
        Assert.Equal(pri, SyslogFormatter.Priority(severity));
        Assert.StartsWith($"<{pri}>1 ", Text(Alert(severity)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_has_every_rfc5424_header_field_structured_data_and_a_bom_before_the_text()
    {
        Assert.Equal(
            "<130>1 2026-11-26T05:00:00.123456Z web1 outgated 77 connect-back [outgate@32473 id=\"42\" detector=\"connect-back\" exe=\"/usr/bin/bash\" "
            + "pid=\"4242\" user=\"alice\" dst=\"192.0.2.7\" dport=\"4444\" domain=\"evil.example\" verdict=\"reject\" details=\"tool=bash; stdin=socket\"] \uFEFFbash dialled out",
            Text(Alert()));
        var bytes = SyslogFormatter.Format(Alert(), "web1", 77);
        var bom = bytes.AsSpan().IndexOf(new byte[] { 0xEF, 0xBB, 0xBF });
        Assert.Equal("bash dialled out", Encoding.UTF8.GetString(bytes.AsSpan(bom + 3)));
    }

    [Fact]
    public void Param_values_escape_quote_backslash_and_closing_bracket_and_keep_utf8()
    {
        var text = Text(Alert() with { Exe = "/tmp/a\"b\\c]d é", Domain = null, Dst = null, DstPort = null, Details = null, User = null, Uid = 1000 });
        Assert.Contains("exe=\"/tmp/a\\\"b\\\\c\\]d é\" pid=\"4242\" user=\"1000\" verdict=\"reject\"]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_fields_are_printable_ascii_or_nil()
    {
        var text = Text(Alert() with { Rule = null, Message = null }, host: "h\u00e9st name");
        Assert.StartsWith("<130>1 2026-11-26T05:00:00.123456Z h_st_name outgated 77 - [outgate@32473 id=\"42\" exe=", text, StringComparison.Ordinal);
        Assert.EndsWith("]", text, StringComparison.Ordinal); // no MSG, no BOM, no trailing space
        Assert.Equal(32, Text(Alert() with { Rule = new string('x', 40) }).Split(' ')[5].Length);
    }

    [Fact]
    public void Long_messages_are_cut_to_8_KiB_at_a_character_boundary()
    {
        var bytes = SyslogFormatter.Format(Alert(message: new string('é', 10_000)), "web1", 77);
        Assert.True(bytes.Length <= SyslogFormatter.MaxMessageBytes);
        Assert.True(bytes.Length >= SyslogFormatter.MaxMessageBytes - 1);
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Tcp_framing_is_octet_counting()
    {
        var message = SyslogFormatter.Format(Alert(message: "é"), "web1", 77);
        var framed = SyslogFormatter.Frame(message);
        var space = Array.IndexOf(framed, (byte)' ');
        Assert.Equal(message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(framed, 0, space));
        Assert.Equal(message, framed[(space + 1)..]);
    }

    [Fact]
    public void Webhook_body_is_the_event_json_plus_host()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(WebhookSink.Body(Alert(), "web1"))!;
        Assert.Equal("web1", (string?)json["host"]);
        Assert.Equal("alert", (string?)json["type"]);
        Assert.Equal("critical", (string?)json["severity"]);
        Assert.Equal("connect-back", (string?)json["rule"]);
        Assert.Equal(42, (long?)json["id"]);
        Assert.Equal(4444, (int?)json["dstPort"]);
    }
}

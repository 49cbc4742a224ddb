using System.Text;
using CsCheck;
using Outgate.Daemon.Alerts.Sinks;
using Outgate.Daemon.Events;

namespace Outgate.EndToEnd.Tests.Health;

public sealed class JournalEntryTests
{
    private static readonly DaemonEvent Alert = new()
    {
        Id = 42,
        Time = new DateTimeOffset(2026, 11, 26, 5, 0, 0, TimeSpan.Zero),
        Type = EventType.Alert,
        Severity = EventSeverity.Critical,
        Rule = "connect-back",
        Message = "bash opened a connection with a socket as stdin",
        Exe = "/usr/bin/bash",
        Pid = 4242,
        Uid = 1000,
        Proto = "tcp",
        Dst = "192.0.2.7",
        DstPort = 4444,
        Details = "fd0=socket; fd1=socket",
    };

    [Fact]
    public void An_alert_becomes_structured_journal_fields()
    {
        var fields = JournalFields.Parse(JournalEntry.Serialize(Alert)).ToDictionary();
        Assert.Equal("outgate alert [connect-back] bash opened a connection with a socket as stdin", fields["MESSAGE"]);
        Assert.Equal("2", fields["PRIORITY"]);
        Assert.Equal("outgated", fields["SYSLOG_IDENTIFIER"]);
        Assert.Equal("connect-back", fields["OUTGATE_DETECTOR"]);
        Assert.Equal("/usr/bin/bash", fields["OUTGATE_EXE"]);
        Assert.Equal("4242", fields["OUTGATE_PID"]);
        Assert.Equal("192.0.2.7", fields["OUTGATE_DST"]);
        Assert.Equal("4444", fields["OUTGATE_DST_PORT"]);
        Assert.Equal("42", fields["OUTGATE_EVENT_ID"]);
        Assert.Equal("fd0=socket; fd1=socket", fields["OUTGATE_DETAILS"]);
        Assert.Equal(JournalEntry.MessageId, fields["MESSAGE_ID"]);
        Assert.False(fields.ContainsKey("OUTGATE_DOMAIN"), "absent facts are left out, not sent empty");
        Assert.All(fields.Keys, k => Assert.Matches("^[A-Z0-9][A-Z0-9_]*$", k));
    }

    [Fact]
    public void A_value_with_a_newline_uses_the_length_prefixed_form()
    {
        var bytes = JournalEntry.Serialize([new("MESSAGE", "a\nb")]);
        Assert.Equal("MESSAGE\n"u8.ToArray().Concat(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0 }).Concat("a\nb\n"u8.ToArray()), bytes);
    }

    [Theory]
    [InlineData(EventSeverity.Critical, 2)]
    [InlineData(EventSeverity.Error, 3)]
    [InlineData(EventSeverity.Warning, 4)]
    [InlineData(EventSeverity.Notice, 5)]
    [InlineData(EventSeverity.Info, 6)]
    [InlineData(EventSeverity.Debug, 7)]
    public void Severity_maps_to_syslog_priority(EventSeverity severity, int priority) => Assert.Equal(priority, JournalEntry.Priority(severity));

    [Fact]
    public void Long_values_are_cut_on_a_character_boundary_and_round_trip()
    {
        Gen.String[Gen.Frequency((5, Gen.Char.AlphaNumeric), (1, Gen.Const('é')), (1, Gen.Const('\n')), (1, Gen.Const('\0'))), 0, 6000]
            .Select(Gen.Const("🙂"), (s, e) => s + e + s)
            .Sample(value =>
            {
                var cut = JournalEntry.Truncate(value);
                Assert.True(cut.Length <= JournalEntry.MaxValueBytes);
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(cut); // throws on a split sequence
                Assert.StartsWith(text, value.Replace('\0', '\uFFFD'), StringComparison.Ordinal);
                var back = JournalFields.Parse(JournalEntry.Serialize([new("OUTGATE_DETAILS", value)]));
                Assert.Equal(text, Assert.Single(back).Value);
            }, iter: 300);
    }
}

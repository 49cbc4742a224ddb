using Outgate.Daemon.Alerts.Exfiltration;
using Outgate.Daemon.Events;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Traffic;

public class ExfiltrationDetectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ExfiltrationSettings Defaults = new(); // 20 MB, 5 MB to a new destination, 5 min

    private static DateTimeOffset Known => Now.AddMinutes(-30);   // first sent long before the window
    private static DateTimeOffset Fresh => Now.AddSeconds(-20);   // first sent within the window

    [Theory]
    [InlineData(19_999_999, false)]
    [InlineData(20_000_000, true)]
    public void A_known_destination_alerts_at_the_threshold(long bytes, bool alerts)
    {
        var finding = ExfiltrationDetector.Judge(bytes, Known, Now, Defaults);
        Assert.Equal(alerts, finding is not null);
        if (finding is null) return;
        Assert.Equal((20_000_000L, false, EventSeverity.Warning), (finding.Threshold, finding.FirstSeenDestination, finding.Severity));
    }

    [Theory]
    [InlineData(4_999_999, false)]
    [InlineData(5_000_000, true)]
    public void A_destination_never_sent_to_before_alerts_at_the_lower_bar(long bytes, bool alerts)
    {
        var finding = ExfiltrationDetector.Judge(bytes, Fresh, Now, Defaults);
        Assert.Equal(alerts, finding is not null);
        if (finding is null) return;
        Assert.Equal((5_000_000L, true), (finding.Threshold, finding.FirstSeenDestination));
    }

    [Fact]
    public void Five_times_the_bar_is_an_error()
    {
        Assert.Equal(EventSeverity.Warning, ExfiltrationDetector.Judge(99_999_999, Known, Now, Defaults)!.Severity);
        Assert.Equal(EventSeverity.Error, ExfiltrationDetector.Judge(100_000_000, Known, Now, Defaults)!.Severity);
        Assert.Equal(EventSeverity.Error, ExfiltrationDetector.Judge(25_000_000, Fresh, Now, Defaults)!.Severity); // 5 × 5 MB
    }

    [Fact]
    public void The_evidence_names_bytes_window_threshold_and_whether_the_destination_was_new()
    {
        var finding = ExfiltrationDetector.Judge(52_428_800, Fresh, Now, Defaults)!;
        Assert.Equal("bytes_out=52428800; window=300s; threshold=5000000; first_seen_destination=yes", finding.Details);
        Assert.EndsWith("first_seen_destination=no", ExfiltrationDetector.Judge(52_428_800, Known, Now, Defaults)!.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_threshold_switches_that_bar_off()
    {
        var onlyNew = Defaults with { ThresholdBytes = 0 };
        Assert.Null(ExfiltrationDetector.Judge(1_000_000_000, Known, Now, onlyNew));
        Assert.NotNull(ExfiltrationDetector.Judge(6_000_000, Fresh, Now, onlyNew));
        var noNew = Defaults with { NewDestinationBytes = 0 };
        Assert.Null(ExfiltrationDetector.Judge(6_000_000, Fresh, Now, noNew));
        Assert.Equal(20_000_000, ExfiltrationDetector.Judge(20_000_000, Fresh, Now, noNew)!.Threshold);
    }

    [Fact]
    public void A_new_destination_bar_above_the_threshold_does_not_raise_it()
    {
        var odd = Defaults with { NewDestinationBytes = 50_000_000 };
        Assert.Equal(20_000_000, ExfiltrationDetector.Judge(20_000_000, Fresh, Now, odd)!.Threshold);
    }

    [Fact]
    public void Known_destinations_remember_the_first_upload_and_stay_bounded()
    {
        var known = new KnownDestinations(maxPrograms: 2, maxPerProgram: 2);
        Assert.Equal(Known, known.FirstSent("/bin/a", "10.0.0.1", Known, Now));
        Assert.Equal(Known, known.FirstSent("/bin/a", "10.0.0.1", Now, Now)); // remembered, not replaced
        known.FirstSent("/bin/a", "10.0.0.2", Now.AddSeconds(-5), Now);
        known.FirstSent("/bin/a", "10.0.0.3", Now, Now);                   // evicts the oldest (10.0.0.1)
        Assert.Equal(Now, known.FirstSent("/bin/a", "10.0.0.1", Now, Now)); // so it is new again
        known.FirstSent("/bin/b", "10.0.0.1", Now, Now.AddSeconds(1));
        known.FirstSent("/bin/c", "10.0.0.1", Now, Now.AddSeconds(2));     // evicts the least recently used program
        Assert.Equal(2, known.Programs);
    }
}

using Outgate.Daemon.Events;
using Outgate.Daemon.Policy;
using Outgate.Daemon.Traffic;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Exfiltration;

/// <summary>
/// The <c>exfiltration</c> detector: bytes one program sent to one destination address within
/// <c>[alerts.exfiltration] window</c> reach <c>threshold</c>, or <c>new_destination</c> when the program had never
/// sent there before that window. Warning; error at 5× the bar crossed. Fed by the flow meter after each sweep
/// with the uploads that grew; alerts go through <see cref="AlertRaiser"/> keyed by program + address, so a long
/// upload alerts once per dedup window. "Never sent before" counts from the daemon's start.
/// </summary>
public sealed class ExfiltrationDetector(AlertRaiser raiser, LivePolicy policy, TimeProvider time)
{
    public const string Id = "exfiltration";

    /// <summary>Severity rises to error at this multiple of the bar.</summary>
    public const int ErrorFactor = 5;

    private readonly KnownDestinations _known = new();

    /// <summary>Judges each upload and raises what crosses a bar. Returns the number of alerts recorded.</summary>
    public int Check(IReadOnlyList<UploadWindow> uploads)
    {
        var settings = policy.Current.Policy.Alerts.Exfiltration;
        if (!settings.Enabled || uploads.Count == 0) return 0;
        var now = time.GetUtcNow();
        var raised = 0;
        foreach (var upload in uploads)
        {
            var program = upload.App.Program;
            var firstSent = _known.FirstSent(program, upload.Address, upload.FirstSent, now);
            if (Judge(upload.BytesOut, firstSent, now, settings) is not { } finding) continue;
            if (raiser.Raise(Id, program + " " + upload.Address, Alert(upload, finding, now))) raised++;
        }
        return raised;
    }

    /// <summary>
    /// The pure rule: null when <paramref name="bytesOut"/> (sent within the window) stays under the bar. The
    /// destination is new when the program first sent to it less than one window ago, so the whole window's
    /// bytes went to a destination it had never used.
    /// </summary>
    public static ExfiltrationFinding? Judge(long bytesOut, DateTimeOffset firstSent, DateTimeOffset now, ExfiltrationSettings settings)
    {
        var isNew = now - firstSent < settings.Window;
        var bar = settings.ThresholdBytes > 0 ? settings.ThresholdBytes : long.MaxValue;
        if (isNew && settings.NewDestinationBytes > 0 && settings.NewDestinationBytes < bar) bar = settings.NewDestinationBytes;
        if (bar == long.MaxValue || bytesOut < bar) return null;
        var severity = bytesOut / ErrorFactor >= bar ? EventSeverity.Error : EventSeverity.Warning;
        return new ExfiltrationFinding(bytesOut, settings.Window, bar, isNew, severity);
    }

    private static DaemonEvent Alert(UploadWindow upload, ExfiltrationFinding finding, DateTimeOffset now)
    {
        var app = upload.App;
        var where = upload.Domain is { } domain ? $"{domain} ({upload.Address})" : upload.Address;
        return new DaemonEvent
        {
            Time = now,
            Type = EventType.Alert,
            Severity = finding.Severity,
            Message = $"{app.Program} sent {ByteCount.Format(finding.BytesOut)} to {where} port {upload.Port} within {WindowText(finding.Window)} " +
                $"(alert at {ByteCount.Format(finding.Threshold)}{(finding.FirstSeenDestination ? ", a destination it never sent to before" : "")})",
            Pid = upload.Pid,
            Exe = app.Exe,
            Uid = app.Uid,
            User = upload.User,
            Unit = app.Unit,
            Container = app.Container,
            Proto = upload.Proto,
            Dst = upload.Address,
            DstPort = upload.Port,
            Domain = upload.Domain,
            BytesOut = finding.BytesOut,
            Details = finding.Details,
        };
    }

    private static string WindowText(TimeSpan window) =>
        window.TotalSeconds % 60 == 0 ? $"{window.TotalMinutes:0} min" : $"{window.TotalSeconds:0} s";
}

namespace Outgate.Daemon.Traffic;

/// <summary>
/// What one program sent to one destination address within the exfiltration window, handed to the detector after
/// a sweep in which it grew. <see cref="FirstSent"/> is when the meter first saw a byte go there.
/// </summary>
public sealed record UploadWindow(
    AppIdentity App, string? User, int? Pid, string Address, string? Domain, ushort Port, string Proto,
    long BytesOut, TimeSpan Window, DateTimeOffset FirstSent);

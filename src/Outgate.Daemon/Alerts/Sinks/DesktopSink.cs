using System.Globalization;
using Outgate.Daemon.Events;
using Outgate.Policy;
using Tmds.DBus.Protocol;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// Desktop notifications (org.freedesktop.Notifications.Notify) on the session bus of every logged-in user that has
/// one (<c>/run/user/UID/bus</c>), connecting as that user (<see cref="DesktopBusOptions"/>). One short-lived
/// connection per user and alert: alerts are rare (flood control) and a user may log out at any time.
/// Enabled when <c>[alerts.desktop] enabled</c> (default) and at least one session bus exists.
/// </summary>
public sealed class DesktopSink(string runtimeRoot) : IAlertSink
{
    public const string DefaultRuntimeRoot = "/run/user";

    /// <summary>How long one user's notification may take before that user is skipped.</summary>
    public static readonly TimeSpan PerUserTimeout = TimeSpan.FromSeconds(5);

    public DesktopSink() : this(DefaultRuntimeRoot)
    {
    }

    /// <summary>Where the per-user runtime directories are (/run/user; tests use their own).</summary>
    public string RuntimeRoot { get; } = runtimeRoot;

    public string Name => "desktop";

    public bool IsEnabled(AlertSettings settings) => settings.Sinks.Desktop && Buses().Count > 0;

    /// <summary>The session buses present now: (uid, socket path) for every RUNTIME_ROOT/UID/bus.</summary>
    public IReadOnlyList<(uint Uid, string Path)> Buses()
    {
        var result = new List<(uint, string)>();
        if (!Directory.Exists(RuntimeRoot)) return result;
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(RuntimeRoot))
            {
                if (!uint.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var uid) || uid == 0) continue;
                var bus = Path.Combine(dir, "bus");
                if (File.Exists(bus)) result.Add((uid, bus));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return result;
    }

    /// <summary>Notifies every user; throws only when no user could be notified (a retry would repeat it for those who were).</summary>
    public async Task SendAsync(DaemonEvent alert, AlertSettings settings, CancellationToken cancellationToken)
    {
        var notification = DesktopNotification.For(alert);
        var errors = new List<string>();
        var sent = 0;
        var buses = Buses();
        foreach (var (uid, path) in buses)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PerUserTimeout);
            try
            {
                await NotifyAsync(path, uid, notification, timeout.Token);
                sent++;
            }
            catch (Exception ex) when (ex is IOException or DBusConnectionException or DBusErrorReplyException or DBusMessageException
                                       or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                errors.Add($"uid {uid} ({path}): {ex.Message}");
            }
        }
        if (sent == 0 && errors.Count > 0)
            throw new IOException($"no desktop notification could be shown: {string.Join("; ", errors)}");
    }

    /// <summary>One Notify call on the bus at <paramref name="path"/> as <paramref name="uid"/>; returns the notification id.</summary>
    public static async Task<uint> NotifyAsync(string path, uint uid, DesktopNotification n, CancellationToken cancellationToken)
    {
        using var connection = new DBusConnection(new DesktopBusOptions(path, uid));
        await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
        MessageBuffer message;
        using (var writer = connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(
                destination: "org.freedesktop.Notifications",
                path: "/org/freedesktop/Notifications",
                @interface: "org.freedesktop.Notifications",
                member: "Notify",
                signature: "susssasa{sv}i");
            writer.WriteString("Outgate");          // app_name
            writer.WriteUInt32(0);                  // replaces_id: a new notification
            writer.WriteString(n.Icon);             // app_icon
            writer.WriteString(n.Summary);
            writer.WriteString(n.Body);
            writer.WriteArray(Array.Empty<string>()); // actions: none
            var hints = writer.WriteDictionaryStart();
            writer.WriteDictionaryEntryStart();
            writer.WriteString("urgency");
            writer.WriteVariantByte(n.Urgency);
            writer.WriteDictionaryEntryStart();
            writer.WriteString("desktop-entry");
            writer.WriteVariantString("outgate");
            writer.WriteDictionaryEnd(hints);
            writer.WriteInt32(-1);                  // expire_timeout: the server's default
            message = writer.CreateMessage();
        }
        return await connection.CallMethodAsync(message, static (Message m, object? _) => m.GetBodyReader().ReadUInt32(), null)
            .WaitAsync(cancellationToken);
    }
}

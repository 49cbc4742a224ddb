using System.Net.Sockets;
using Outgate.Daemon.Events;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// Alerts as structured systemd journal entries (<see cref="JournalEntry"/>): one datagram to journald's native socket
/// per alert, so <c>journalctl -t outgated OUTGATE_DETECTOR=connect-back</c> finds them. Enabled when
/// <c>[alerts.journal] enabled</c> (default) and the socket exists.
/// </summary>
public sealed class JournalSink(string socketPath) : IAlertSink, IDisposable
{
    public const string DefaultSocketPath = "/run/systemd/journal/socket";

    private readonly Lock _gate = new();
    private Socket? _socket;

    /// <summary>The journal socket, or $OUTGATE_JOURNAL_SOCKET (tests point it at a socket they bind).</summary>
    public JournalSink() : this(Environment.GetEnvironmentVariable("OUTGATE_JOURNAL_SOCKET") is { Length: > 0 } p ? p : DefaultSocketPath)
    {
    }

    public string SocketPath { get; } = socketPath;

    public string Name => "journal";

    public bool IsEnabled(AlertSettings settings) => settings.Sinks.Journal && File.Exists(SocketPath);

    public async Task SendAsync(DaemonEvent alert, AlertSettings settings, CancellationToken cancellationToken)
    {
        var datagram = JournalEntry.Serialize(alert);
        var socket = Socket();
        try
        {
            await socket.SendToAsync(datagram, SocketFlags.None, new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
        }
        catch (SocketException ex)
        {
            // journald restarted (new socket inode) or is gone: start with a fresh socket next time.
            Reset(socket);
            throw new IOException($"cannot send to the journal at {SocketPath}: {ex.Message} (is systemd-journald running?)", ex);
        }
    }

    private Socket Socket()
    {
        lock (_gate) return _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    private void Reset(Socket failed)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_socket, failed)) _socket = null;
        }
        failed.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }
}

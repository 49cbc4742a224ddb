using System.Net;
using System.Net.Sockets;
using Outgate.Daemon.Events;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// RFC 5424 to <c>[alerts.syslog] target</c>: over UDP one message per datagram (RFC 5426), over TCP octet-counted
/// frames (RFC 6587) on one kept-open connection, reopened after an error or when the target changes. Called by one
/// <see cref="SinkQueue"/> loop only, so the connection needs no lock.
/// </summary>
public sealed class SyslogSink(TimeProvider time) : IAlertSink, IDisposable
{
    private readonly string _hostName = HostName();
    private Uri? _connectedTo;
    private Socket? _socket;

    public string Name => "syslog";

    public bool IsEnabled(AlertSettings settings) => settings.Sinks.Syslog is not null;

    public async Task SendAsync(DaemonEvent alert, AlertSettings settings, CancellationToken cancellationToken)
    {
        var target = settings.Sinks.Syslog ?? throw new InvalidOperationException("no [alerts.syslog] target is set");
        var message = SyslogFormatter.Format(alert.Time == default ? alert with { Time = time.GetUtcNow() } : alert, _hostName, Environment.ProcessId);
        var socket = await ConnectAsync(target, cancellationToken);
        try
        {
            var payload = target.Scheme == "tcp" ? SyslogFormatter.Frame(message) : message;
            for (var sent = 0; sent < payload.Length;)
                sent += await socket.SendAsync(payload.AsMemory(sent), SocketFlags.None, cancellationToken);
        }
        catch
        {
            Close();
            throw;
        }
    }

    private async Task<Socket> ConnectAsync(Uri target, CancellationToken ct)
    {
        if (_socket is { } open && target.Equals(_connectedTo) && (target.Scheme == "udp" || !PeerClosed(open))) return open;
        Close();
        var host = SyslogTargetSyntax.Host(target);
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await System.Net.Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        var endpoint = new IPEndPoint(addresses[0], SyslogTargetSyntax.Port(target));
        var socket = target.Scheme == "tcp"
            ? new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(endpoint, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        (_socket, _connectedTo) = (socket, target);
        return socket;
    }

    /// <summary>A collector that closed its side shows as readable with nothing to read: send on it would be lost.</summary>
    private static bool PeerClosed(Socket socket)
    {
        try { return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0; }
        catch (SocketException) { return true; }
        catch (ObjectDisposedException) { return true; }
    }

    private void Close()
    {
        _socket?.Dispose();
        (_socket, _connectedTo) = (null, null);
    }

    private static string HostName()
    {
        try { return System.Net.Dns.GetHostName(); }
        catch (SocketException) { return Environment.MachineName; }
    }

    public void Dispose() => Close();
}

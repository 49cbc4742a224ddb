using System.Net;
using System.Net.Sockets;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Web;

/// <summary>
/// The dashboard's TCP socket, bound by the daemon itself before Kestrel starts (Kestrel takes it with
/// <c>ListenHandle</c>). Binding first means a port in use, or any other bind failure, leaves the daemon
/// running without its dashboard (a firewall must not fail for its web page): <see cref="Error"/> says why,
/// status shows it, health is degraded. It also tells the real port when --web asked for port 0.
/// </summary>
public sealed class DashboardListener
{
    private readonly Socket? _socket;

    private DashboardListener(IPEndPoint? requested, Socket? socket, IPEndPoint? bound, string? error)
    {
        Requested = requested;
        _socket = socket;
        Endpoint = bound;
        Error = error;
        AllowedHosts = bound is null ? [] : HostsFor(bound);
    }

    /// <summary>Binds <paramref name="endpoint"/> (null = --web off, nothing bound).</summary>
    public static DashboardListener Bind(IPEndPoint? endpoint)
    {
        if (endpoint is null) return new DashboardListener(null, null, null, null);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // No SO_REUSEADDR games: a second daemon on the same port must fail here, not share it.
            socket.Bind(endpoint);
            socket.Listen(128);
            return new DashboardListener(endpoint, socket, (IPEndPoint)socket.LocalEndPoint!, null);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var why = ex.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"{endpoint} is in use by another program (pick another with --web ADDR:PORT, or --web off)"
                : $"cannot listen on {endpoint}: {ex.Message}";
            return new DashboardListener(endpoint, null, null, why);
        }
    }

    /// <summary>What --web asked for; null when the dashboard is off.</summary>
    public IPEndPoint? Requested { get; }

    /// <summary>The bound address and port; null when off or when binding failed.</summary>
    public IPEndPoint? Endpoint { get; }

    /// <summary>Why the dashboard is not running although it was asked for.</summary>
    public string? Error { get; }

    public bool IsRunning => Endpoint is not null;

    /// <summary>The socket's file descriptor for Kestrel's ListenHandle. The socket object is kept so it is never finalized underneath Kestrel.</summary>
    public ulong Handle => (ulong)_socket!.SafeHandle.DangerousGetHandle();

    /// <summary>http://ADDR:PORT/ (null when not running).</summary>
    public string? Url => Endpoint is { } e ? $"http://{HostText(e)}/" : null;

    /// <summary>What GET /v1/status shows: the URL, "off", or "not running: why".</summary>
    public string StatusText => Url ?? (Error is { } error ? "not running: " + error : "off");

    /// <summary>
    /// Host header values this listener answers to: its own address and, for loopback, "localhost" (same port).
    /// Anything else is refused: a DNS-rebinding page at evil.example resolving to 127.0.0.1 sends Host: evil.example.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; }

    /// <summary>
    /// True when a request came in over TCP, i.e. the dashboard listener: the API's unix socket has no IP
    /// address. Every such request goes through <see cref="DashboardGateMiddleware"/>'s checks.
    /// </summary>
    public static bool IsTcp(Microsoft.AspNetCore.Http.ConnectionInfo connection) => connection.LocalIpAddress is not null;

    private static string HostText(IPEndPoint e) =>
        e.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{e.Address}]:{e.Port}" : $"{e.Address}:{e.Port}";

    private static List<string> HostsFor(IPEndPoint e) => [HostText(e), $"localhost:{e.Port}"];
}

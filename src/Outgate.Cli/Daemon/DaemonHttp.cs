using System.Net.Sockets;

namespace Outgate.Cli.Daemon;

/// <summary>An <see cref="HttpClient"/> whose every connection is outgated's unix socket (base address http://outgated/).</summary>
public static class DaemonHttp
{
    public static HttpClient Create(string socketPath, TimeSpan timeout, TimeSpan? pooledConnectionIdleTimeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (pooledConnectionIdleTimeout is { } idle) handler.PooledConnectionIdleTimeout = idle;
        return new HttpClient(handler) { BaseAddress = new Uri("http://outgated/"), Timeout = timeout };
    }
}

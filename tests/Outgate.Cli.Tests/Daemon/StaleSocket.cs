using System.Net.Sockets;

namespace Outgate.Cli.Tests.Daemon;

/// <summary>
/// A socket file nobody listens on, as a crashed daemon leaves behind: bound but not listening, so
/// connect is refused. Kept open for the test because .NET removes the file when the socket is disposed.
/// </summary>
public sealed class StaleSocket : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("og-stale-");
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public StaleSocket()
    {
        Path = System.IO.Path.Combine(_dir.FullName, "outgate.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
    }

    public string Path { get; }

    public void Dispose()
    {
        _socket.Dispose();
        _dir.Delete(recursive: true);
    }
}

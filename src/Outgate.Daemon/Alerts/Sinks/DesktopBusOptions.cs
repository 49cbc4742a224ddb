using System.Net.Sockets;
using Tmds.DBus.Protocol;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// Connects to a user's session bus as that user. dbus-daemon's session bus accepts only its own user: a root
/// connection is refused during authentication (measured with dbus-daemon 1.14.10: root gets no reply, the user gets
/// in). The kernel records a unix socket's peer credentials (SO_PEERCRED, what EXTERNAL authentication checks) at
/// connect() from the connecting thread's effective uid, so the socket is connected on a short-lived thread that
/// switches only its own effective uid to the user (<see cref="Interop.SetThreadEffectiveUid"/>) and ends; EXTERNAL
/// authentication then names that uid. The daemon's other threads never change identity, and connecting as the user
/// means the kernel's file permission checks apply as that user (a symlinked bus path gains nothing).
/// </summary>
public sealed class DesktopBusOptions(string socketPath, uint uid) : DBusConnectionOptions
{
    public string SocketPath { get; } = socketPath;

    public uint Uid { get; } = uid;

    protected override ValueTask<SetupResult> SetupAsync(CancellationToken cancellationToken)
    {
        var socket = ConnectAsUser(SocketPath, Uid);
        return ValueTask.FromResult(new SetupResult
        {
            ConnectionStream = new NetworkStream(socket, ownsSocket: true),
            UserId = Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>A unix stream socket connected to <paramref name="path"/> with <paramref name="uid"/> as its peer credentials.</summary>
    /// <exception cref="IOException">The identity switch or the connect failed (message names the path and the cause).</exception>
    public static Socket ConnectAsUser(string path, uint uid)
    {
        Socket? connected = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            var errno = Interop.SetThreadEffectiveUid(uid);
            if (errno != 0)
            {
                socket.Dispose();
                failure = new IOException($"cannot act as uid {uid} to reach its session bus {path}: setresuid failed with errno {errno} (outgated must run as root)");
                return;
            }
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                connected = socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failure = new IOException($"cannot connect to the session bus {path} as uid {uid}: {ex.Message}", ex);
            }
            finally
            {
                // The thread ends right after; switching back keeps it honest should the runtime reuse it.
                Interop.SetThreadEffectiveUid(0);
            }
        }) { IsBackground = true, Name = "desktop-bus-connect" };
        thread.Start();
        thread.Join();
        return connected ?? throw failure!;
    }
}

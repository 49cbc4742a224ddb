using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Linux.Files;

namespace Outgate.Daemon.Unix;

/// <summary>
/// The API socket's file: before binding, a leftover file from a crashed daemon is removed, but a
/// live daemon on it makes this one refuse to start; after binding, the file becomes
/// <c>root:ACCESS_GROUP 0660</c> (or 0600 without that group); on stop it is removed.
/// </summary>
public sealed partial class UnixSocketFile(DaemonOptions options, GroupDatabase groups, ILogger<UnixSocketFile> logger)
{
    public string Path { get; } = options.SocketPath;

    /// <summary>A description of the applied permissions for status and logs, e.g. "0660 root:outgate".</summary>
    public string Permissions { get; private set; } = "not bound";

    /// <summary>Makes <see cref="Path"/> ready for bind(2).</summary>
    /// <exception cref="DaemonStartupException">Another daemon answers there, or the path is not a socket.</exception>
    public void PrepareForBind()
    {
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DaemonStartupException($"cannot create the socket directory {dir}: {ex.Message}");
        }

        switch (UnixFileType.Of(Path))
        {
            case UnixFileKind.Missing: return;
            case UnixFileKind.Socket: break;
            case UnixFileKind.Directory: throw new DaemonStartupException($"--socket {Path} is a directory: give the socket file path, e.g. {DaemonOptions.DefaultSocketPath}");
            default: throw new DaemonStartupException($"--socket {Path} exists and is not a socket: remove it or pick another path");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            probe.ConnectAsync(new UnixDomainSocketEndPoint(Path), timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // Nobody listens: a leftover of a daemon that did not stop cleanly.
            File.Delete(Path);
            LogStaleSocketRemoved(logger, Path);
            return;
        }
        catch (SocketException ex)
        {
            throw new DaemonStartupException($"cannot check the existing socket {Path}: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            throw new DaemonStartupException($"{Path} accepts connections but does not answer: another outgated may be hung there; stop it or pick another --socket");
        }
        throw new DaemonStartupException($"another outgated is already running on {Path}: stop it first (`sudo systemctl stop outgated`) or give this one its own --socket");
    }

    /// <summary>After bind(2): owner root (or the daemon's user), group <see cref="DaemonOptions.AccessGroup"/>, 0660; 0600 without the group.</summary>
    public void ApplyPermissions()
    {
        var gid = groups.FindGroupId(options.AccessGroup);
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            if (gid is { } g && Interop.chown(Path, uint.MaxValue /* keep owner */, g) == 0)
            {
                File.SetUnixFileMode(Path, owner | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
                Permissions = $"0660 group {options.AccessGroup}";
            }
            else
            {
                if (gid is not null)
                    LogChownFailed(logger, Path, options.AccessGroup, Marshal.GetLastPInvokeError());
                File.SetUnixFileMode(Path, owner);
                Permissions = gid is null ? $"0600 (group {options.AccessGroup} does not exist: root only)" : "0600";
            }
            LogSocketReady(logger, Path, Permissions);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogPermissionsFailed(logger, Path, ex.Message);
        }
    }

    /// <summary>Removes the socket file at shutdown so the next start finds nothing stale.</summary>
    public void Remove()
    {
        try
        {
            if (IsSocket(Path)) File.Delete(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static bool IsSocket(string path) => UnixFileType.Of(path) == UnixFileKind.Socket;
}

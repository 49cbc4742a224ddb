using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Outgate.Daemon.Unix;

/// <summary>
/// Reads SO_PEERCRED (pid, uid, gid) and the peer's supplementary groups: SO_PEERGROUPS where the
/// kernel has it (captured at connect, so no race with the peer exiting), else the
/// <c>Groups:</c> line of /proc/PID/status.
/// </summary>
public static unsafe class PeerCredentialReader
{
    /// <summary>False when the socket is not a connected unix socket or the kernel refuses.</summary>
    public static bool TryRead(Socket socket, out PeerCredentials? credentials)
    {
        credentials = null;
        Interop.ucred cred;
        uint len = (uint)sizeof(Interop.ucred);
        if (Interop.getsockopt(socket.SafeHandle, Interop.SOL_SOCKET, Interop.SO_PEERCRED, &cred, &len) != 0 || len != sizeof(Interop.ucred))
            return false;
        var groups = TryReadPeerGroups(socket) ?? ReadProcGroups(cred.pid);
        credentials = new PeerCredentials(cred.pid, cred.uid, cred.gid, groups);
        return true;
    }

    private static uint[]? TryReadPeerGroups(Socket socket)
    {
        var buffer = new uint[64];
        while (true)
        {
            uint len = (uint)(buffer.Length * sizeof(uint));
            int rc;
            fixed (uint* p = buffer)
                rc = Interop.getsockopt(socket.SafeHandle, Interop.SOL_SOCKET, Interop.SO_PEERGROUPS, p, &len);
            if (rc == 0) return buffer[..(int)(len / sizeof(uint))];
            var errno = Marshal.GetLastPInvokeError();
            // ERANGE: len now holds the size needed (NGROUPS_MAX is 65536, so this ends).
            if (errno == Interop.ERANGE && len > buffer.Length * sizeof(uint)) { buffer = new uint[len / sizeof(uint)]; continue; }
            return null; // ENOPROTOOPT on kernels before 4.13
        }
    }

    /// <summary>Supplementary groups from /proc/PID/status; empty if the process is gone.</summary>
    internal static uint[] ReadProcGroups(int pid, string procRoot = "/proc")
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "status")))
                if (line.StartsWith("Groups:", StringComparison.Ordinal))
                    return ParseGroupsLine(line);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return [];
    }

    /// <summary>"Groups:\t4 24 27 1000 " → [4, 24, 27, 1000].</summary>
    internal static uint[] ParseGroupsLine(string line)
    {
        var groups = new List<uint>();
        foreach (var part in line.AsSpan("Groups:".Length).Trim().ToString().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            if (uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var g)) groups.Add(g);
        return [.. groups];
    }
}

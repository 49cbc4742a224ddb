using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Outgate.Daemon.Unix;

/// <summary>getsockopt(2) for the peer credentials of a unix socket connection.</summary>
internal static unsafe partial class Interop
{
    internal const int SOL_SOCKET = 1;
    internal const int SO_PEERCRED = 17;
    internal const int SO_PEERGROUPS = 59; // Linux 4.13+: the peer's supplementary groups at connect(2)

    internal const int ENOPROTOOPT = 92;
    internal const int ERANGE = 34;

    /// <summary>struct ucred from &lt;sys/socket.h&gt; (12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
#pragma warning disable CS8981 // kernel name
    internal struct ucred
#pragma warning restore CS8981
    {
        public int pid;
        public uint uid;
        public uint gid;
    }

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int getsockopt(SafeSocketHandle fd, int level, int optname, void* optval, uint* optlen);
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Outgate.Linux.Netlink;

/// <summary>setns(2): moves the calling thread into another namespace.</summary>
internal static partial class Interop
{
    internal const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int setns(SafeFileHandle fd, int nstype);
}

using System.Runtime.InteropServices;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// setresuid(2) as the raw system call. glibc's setresuid() changes the credentials of every thread of the process
/// (it signals them all); the system call changes only the calling thread's, which is what
/// <see cref="DesktopBusOptions"/> needs to connect one socket as a user while the rest of the daemon stays root.
/// </summary>
internal static partial class Interop
{
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall(long number, long a1, long a2, long a3);

    private static long SetresuidNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 117,
        Architecture.Arm64 => 147,
        _ => throw new PlatformNotSupportedException($"the thread-local setresuid system call number is not known for {RuntimeInformation.ProcessArchitecture}"),
    };

    /// <summary>Sets the calling thread's effective uid (real and saved stay as they are, so root can switch back).</summary>
    /// <returns>0, or the errno.</returns>
    internal static int SetThreadEffectiveUid(uint uid) =>
        syscall(SetresuidNumber, -1, uid, -1) == 0 ? 0 : Marshal.GetLastPInvokeError();
}

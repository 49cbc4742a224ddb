using System.Runtime.InteropServices;

namespace Outgate.Cli.Daemon;

internal static partial class Interop
{
    /// <summary>execv(3): replaces this process; returns only on failure (-1, errno set). <paramref name="argv"/> ends with null.</summary>
    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Execv(string path, string?[] argv);
}

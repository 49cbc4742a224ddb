using System.Runtime.InteropServices;

namespace Outgate.Daemon.Unix;

/// <summary>chown(2), for handing the API socket to the access group.</summary>
internal static partial class Interop
{
    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chown(string path, uint owner, uint group);
}

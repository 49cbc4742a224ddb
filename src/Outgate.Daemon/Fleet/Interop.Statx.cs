using System.Runtime.InteropServices;

namespace Outgate.Daemon.Fleet;

internal static partial class Interop
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_UID = 0x8;

    // statx rather than stat: struct statx has one layout on every architecture (struct stat does not).
    // struct statx { u32 stx_mask; u32 stx_blksize; u64 stx_attributes; u32 stx_nlink; u32 stx_uid; ... } = 256 bytes.
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>The owner uid of <paramref name="path"/> (the link itself for a symbolic link).</summary>
    /// <exception cref="IOException">statx failed; the message names the path and errno.</exception>
    internal static unsafe uint OwnerOf(string path)
    {
        byte* buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_UID, buffer) != 0)
            throw new IOException($"statx({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        return *(uint*)(buffer + 20);
    }
}

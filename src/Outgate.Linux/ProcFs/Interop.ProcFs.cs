using System.Runtime.InteropServices;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// File and directory syscalls used to walk /proc without allocating per entry. Declared in the
/// ProcFs namespace so these names cannot collide with other subsystems' <c>Interop</c> partials.
/// </summary>
internal static partial class Interop
{
    internal const int O_RDONLY = 0x0;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_CLOEXEC = 0x80000;
    internal const int O_NOFOLLOW = 0x20000;

    internal const int ENOENT = 2;
    internal const int ESRCH = 3;
    internal const int EINTR = 4;
    internal const int EACCES = 13;
    internal const int EPERM = 1;
    internal const int ENOTDIR = 20;

    /// <summary>d_type value for a directory in <c>linux_dirent64</c>.</summary>
    internal const byte DT_DIR = 4;

    // open/openat return a C int: declared as int and wrapped by hand, because a SafeHandle return
    // would read the whole 64-bit register and miss -1 (0x00000000_FFFFFFFF is not IntPtr(-1)).
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenRaw(string path, int flags);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static unsafe partial int OpenAtRaw(ProcFsHandle dirFd, byte* path, int flags);

    /// <summary>open(2); an invalid handle on failure, with errno in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
    internal static ProcFsHandle Open(string path, int flags) => new(OpenRaw(path, flags));

    /// <summary>openat(2) relative to an open directory; <paramref name="path"/> is NUL-terminated.</summary>
    internal static unsafe ProcFsHandle OpenAt(ProcFsHandle dirFd, byte* path, int flags) => new(OpenAtRaw(dirFd, path, flags));

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static unsafe partial int OpenBytes(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadFd(int fd, byte* buffer, nuint count);

    /// <summary>
    /// open + read until EOF or <paramref name="size"/> + close of a small file (a /proc file read
    /// per connection), the fd never leaving this method, so no SafeHandle is allocated. Returns
    /// the length read, or -1 with <paramref name="errno"/> set. <paramref name="path"/> is NUL-terminated.
    /// </summary>
    internal static unsafe int ReadSmallFile(byte* path, byte* buffer, int size, out int errno)
    {
        var fd = OpenBytes(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }
        var length = 0;
        errno = 0;
        while (length < size)
        {
            var n = ReadFd(fd, buffer + length, (nuint)(size - length));
            if (n == 0) break;
            if (n < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                length = -1;
                break;
            }
            length += (int)n;
        }
        Close(fd);
        return length;
    }

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(ProcFsHandle fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary>Fills <paramref name="buffer"/> with <c>linux_dirent64</c> records; 0 at the end of the directory.</summary>
    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    internal static unsafe partial nint GetDents64(ProcFsHandle dirFd, byte* buffer, nuint count);

    /// <summary>Reads a symlink relative to an open directory; the result is not NUL-terminated.</summary>
    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true)]
    internal static unsafe partial nint ReadLinkAt(ProcFsHandle dirFd, byte* path, byte* buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial nint ReadLink(string path, byte* buffer, nuint size);
}

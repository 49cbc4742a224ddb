using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// Reads small /proc files and symlinks without exceptions: a process can exit between any two
/// calls, so every failure comes back as an errno for the caller to classify.
/// </summary>
internal static class ProcFsFile
{
    /// <summary>PATH_MAX: the kernel never returns a longer link target.</summary>
    private const int PathMax = 4096;

    /// <summary>
    /// Reads the whole file into <paramref name="buffer"/> (rented from <see cref="ArrayPool{T}.Shared"/>,
    /// grown as needed; the caller returns it). /proc files report size 0, so we read until EOF.
    /// </summary>
    public static unsafe bool TryReadAll(string path, ref byte[] buffer, out int length, out int errno)
    {
        length = 0;
        using var fd = Interop.Open(path, Interop.O_RDONLY | Interop.O_CLOEXEC);
        if (fd.IsInvalid)
        {
            errno = Marshal.GetLastPInvokeError();
            return false;
        }
        while (true)
        {
            if (length == buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }
            nint n;
            fixed (byte* p = &buffer[length])
                n = Interop.Read(fd, p, (nuint)(buffer.Length - length));
            if (n == 0) break;
            if (n < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.EINTR) continue;
                return false;
            }
            length += (int)n;
        }
        errno = 0;
        return true;
    }

    /// <summary>Reads a symlink's target (e.g. /proc/&lt;pid&gt;/exe) as a string.</summary>
    public static unsafe bool TryReadLink(string path, out string? target, out int errno)
    {
        byte* buf = stackalloc byte[PathMax];
        var n = Interop.ReadLink(path, buf, PathMax);
        if (n < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            target = null;
            return false;
        }
        errno = 0;
        target = Encoding.UTF8.GetString(buf, (int)n);
        return true;
    }

    /// <summary>ENOENT/ESRCH: the process (or the file) is gone, which is normal under /proc.</summary>
    public static bool IsGone(int errno) => errno is Interop.ENOENT or Interop.ESRCH;

    /// <summary>EACCES/EPERM: another user's process and we are not root (or lack CAP_SYS_PTRACE).</summary>
    public static bool IsDenied(int errno) => errno is Interop.EACCES or Interop.EPERM;
}

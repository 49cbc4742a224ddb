using System.Runtime.InteropServices;

namespace Outgate.Linux.Netlink;

/// <summary>Names for errno values (asm-generic/errno-base.h, errno.h) so messages say ENOENT, not 2.</summary>
internal static class Errno
{
    internal const int EPERM = 1, ENOENT = 2, EINTR = 4, EAGAIN = 11, EINVAL = 22, ENOPROTOOPT = 92, EOPNOTSUPP = 95, ENOBUFS = 105, ECONNREFUSED = 111, EBUSY = 16;

    public static string Name(int errno) => errno switch
    {
        1 => "EPERM", 2 => "ENOENT", 3 => "ESRCH", 4 => "EINTR", 5 => "EIO", 9 => "EBADF",
        11 => "EAGAIN", 12 => "ENOMEM", 13 => "EACCES", 14 => "EFAULT", 16 => "EBUSY", 17 => "EEXIST",
        19 => "ENODEV", 22 => "EINVAL", 24 => "EMFILE", 28 => "ENOSPC", 32 => "EPIPE", 34 => "ERANGE",
        38 => "ENOSYS", 71 => "EPROTO", 90 => "EMSGSIZE", 92 => "ENOPROTOOPT", 93 => "EPROTONOSUPPORT",
        95 => "EOPNOTSUPP", 97 => "EAFNOSUPPORT", 98 => "EADDRINUSE", 105 => "ENOBUFS", 110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        _ => $"errno {errno}",
    };

    /// <summary>"ENOENT (No such file or directory)".</summary>
    public static string Describe(int errno) => $"{Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})";
}

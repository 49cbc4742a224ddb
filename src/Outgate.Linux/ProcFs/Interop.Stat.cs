using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// Kernel structs keep their kernel names (STYLE.md), which are all lower case.
#pragma warning disable CS8981

namespace Outgate.Linux.ProcFs;

internal static partial class Interop
{
    internal const int AT_FDCWD = -100;
    internal const int AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_BASIC_STATS = 0x7ff;

    /// <summary>struct statx_timestamp (include/uapi/linux/stat.h), 16 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct statx_timestamp
    {
        public long tv_sec;
        public uint tv_nsec;
        public int __reserved;
    }

    /// <summary>
    /// struct statx (include/uapi/linux/stat.h). The same layout on every architecture, unlike
    /// struct stat, which is why we use statx. 256 bytes; the tail is spare space for the kernel.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct statx
    {
        public uint stx_mask;
        public uint stx_blksize;
        public ulong stx_attributes;
        public uint stx_nlink;
        public uint stx_uid;
        public uint stx_gid;
        public ushort stx_mode;
        public ushort __spare0;
        public ulong stx_ino;
        public ulong stx_size;
        public ulong stx_blocks;
        public ulong stx_attributes_mask;
        public statx_timestamp stx_atime;
        public statx_timestamp stx_btime;
        public statx_timestamp stx_ctime;
        public statx_timestamp stx_mtime;
        public uint stx_rdev_major;
        public uint stx_rdev_minor;
        public uint stx_dev_major;
        public uint stx_dev_minor;
        public Spare __spare2;

        [InlineArray(14)]
        public struct Spare { private ulong _element0; }
    }

    /// <summary>statx(2) by path, following symlinks (so /proc/&lt;pid&gt;/exe gives the executable itself).</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int StatX(int dirFd, string path, int flags, uint mask, out statx buffer);

    /// <summary>statx(2) of an open descriptor (<c>AT_EMPTY_PATH</c> with an empty path).</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    internal static unsafe partial int StatX(ProcFsHandle fd, byte* emptyPath, int flags, uint mask, out statx buffer);
}

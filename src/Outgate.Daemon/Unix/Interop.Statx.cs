using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Outgate.Daemon.Unix;

/// <summary>statx(2), to tell a socket file from anything else (.NET reports sockets as regular files).</summary>
internal static partial class Interop
{
    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const uint STATX_TYPE = 0x1;
    internal const int S_IFMT = 0xF000;
    internal const int S_IFSOCK = 0xC000;
    internal const int ENOENT = 2;

    /// <summary>struct statx (include/uapi/linux/stat.h), 256 bytes; only the head up to stx_mode is named here.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
#pragma warning disable CS8981 // kernel name
    internal struct statx
#pragma warning restore CS8981
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
        public Tail __rest;

        [InlineArray(216)]
        public struct Tail { private byte _element0; }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int StatX(int dirFd, string path, int flags, uint mask, out statx buffer);
}

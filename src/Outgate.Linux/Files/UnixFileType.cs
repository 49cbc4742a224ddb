using System.Runtime.InteropServices;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Files;

/// <summary>The type of a path from statx(2), without following a final symlink.</summary>
public static class UnixFileType
{
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_TYPE = 0x1;
    private const int S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFDIR = 0x4000;
    private const int ENOENT = 2;

    public static UnixFileKind Of(string path)
    {
        if (Interop.StatX(Interop.AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, out var st) != 0)
            return Marshal.GetLastPInvokeError() == ENOENT ? UnixFileKind.Missing : UnixFileKind.Other;
        return (st.stx_mode & S_IFMT) switch
        {
            S_IFSOCK => UnixFileKind.Socket,
            S_IFDIR => UnixFileKind.Directory,
            _ => UnixFileKind.Other,
        };
    }
}

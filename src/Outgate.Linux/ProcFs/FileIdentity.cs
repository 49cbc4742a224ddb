namespace Outgate.Linux.ProcFs;

/// <summary>
/// What makes two looks at a file "the same content" for caching a hash: device and inode, plus
/// size, mtime and ctime (ctime changes on any write or metadata change and cannot be set by
/// user space, so an in-place rewrite that restores mtime is still noticed).
/// </summary>
internal readonly record struct FileIdentity(
    uint DevMajor, uint DevMinor, ulong Inode, ulong Size,
    long MTimeSeconds, uint MTimeNanoseconds, long CTimeSeconds, uint CTimeNanoseconds)
{
    public static FileIdentity From(in Interop.statx st) => new(
        st.stx_dev_major, st.stx_dev_minor, st.stx_ino, st.stx_size,
        st.stx_mtime.tv_sec, st.stx_mtime.tv_nsec, st.stx_ctime.tv_sec, st.stx_ctime.tv_nsec);
}

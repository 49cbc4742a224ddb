using System.Runtime.InteropServices;

namespace Outgate.Linux.ProcFs;

/// <summary>A file or directory descriptor opened under /proc (or for hashing an executable); closed on dispose.</summary>
internal sealed class ProcFsHandle : SafeHandle
{
    public ProcFsHandle() : base(new IntPtr(-1), ownsHandle: true) { }

    /// <summary>Takes ownership of <paramref name="fd"/> as returned by open(2); -1 (failure) makes an invalid handle.</summary>
    public ProcFsHandle(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => (long)handle < 0;

    protected override bool ReleaseHandle() => Interop.Close((int)handle) == 0;
}

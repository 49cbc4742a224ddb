using System.Runtime.InteropServices;

namespace Outgate.Linux.ProcFs;

/// <summary>A file or directory descriptor opened under /proc (or for hashing an executable); closed on dispose.</summary>
internal sealed class ProcFsHandle : SafeHandle
{
    public ProcFsHandle() : base(new IntPtr(-1), ownsHandle: true) { }

    public override bool IsInvalid => handle == new IntPtr(-1);

    protected override bool ReleaseHandle() => Interop.Close((int)handle) == 0;
}

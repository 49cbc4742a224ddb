using System.Runtime.InteropServices;

namespace Outgate.Linux.Bpf;

/// <summary>A file descriptor of a BPF object (map, program or link), closed with close(2): closing a link detaches it.</summary>
public sealed class BpfHandle : SafeHandle
{
    public BpfHandle() : base(invalidHandleValue: -1, ownsHandle: true) { }

    internal BpfHandle(int fd) : this() => SetHandle(fd);

    public override bool IsInvalid => unchecked((int)handle.ToInt64()) < 0;

    /// <summary>The descriptor for a bpf(2) attribute; valid while this handle is alive.</summary>
    internal uint Fd => (uint)handle.ToInt32();

    protected override bool ReleaseHandle() => Interop.close(handle.ToInt32()) == 0;
}

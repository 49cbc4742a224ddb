using System.Runtime.InteropServices;

namespace Outgate.Linux.Netlink;

/// <summary>An AF_NETLINK socket file descriptor, closed with close(2).</summary>
public sealed class NetlinkSocketHandle : SafeHandle
{
    /// <summary>Used by the interop marshaller; the handle starts invalid (-1).</summary>
    public NetlinkSocketHandle() : base(invalidHandleValue: -1, ownsHandle: true) { }

    // socket(2) returns a C int: on failure the marshaller may hand us 0x00000000FFFFFFFF rather than
    // a sign-extended -1, so judge the low 32 bits only.
    public override bool IsInvalid => unchecked((int)handle.ToInt64()) < 0;

    protected override bool ReleaseHandle() => Interop.close(handle) == 0;
}

using System.Runtime.InteropServices;

namespace Outgate.Linux.Netlink;

/// <summary>An AF_NETLINK socket file descriptor, closed with close(2).</summary>
public sealed class NetlinkSocketHandle : SafeHandle
{
    /// <summary>Used by the interop marshaller; the handle starts invalid (-1).</summary>
    public NetlinkSocketHandle() : base(invalidHandleValue: -1, ownsHandle: true) { }

    public override bool IsInvalid => handle < 0;

    protected override bool ReleaseHandle() => Interop.close(handle) == 0;
}

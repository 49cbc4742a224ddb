using System.Runtime.InteropServices;

namespace Outgate.Linux.Nftables;

/// <summary>An <c>struct nft_ctx *</c>; freed with <c>nft_ctx_free</c>.</summary>
internal sealed class NftContextHandle : SafeHandle
{
    public NftContextHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Interop.Nftables.nft_ctx_free(handle);
        return true;
    }
}

namespace Outgate.Linux.Nftables;

/// <summary>nftables refused a command buffer; nothing of it was committed. <see cref="NftError"/> is nft's own text.</summary>
public sealed class NftCommandException : Exception
{
    public NftCommandException(string nftError, int result)
        : base($"nftables refused the change (nothing was applied): {nftError.Trim()}")
    {
        NftError = nftError;
        Result = result;
    }

    /// <summary>The error text as nft prints it (with the offending command and a ^^^ marker).</summary>
    public string NftError { get; }

    /// <summary>The return value of <c>nft_run_cmd_from_buffer</c>.</summary>
    public int Result { get; }

    /// <summary>True when the kernel said "Operation not permitted" (not root, or no CAP_NET_ADMIN).</summary>
    public bool IsPermissionDenied => NftError.Contains("Operation not permitted", StringComparison.Ordinal);
}

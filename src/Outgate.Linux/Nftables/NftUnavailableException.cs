namespace Outgate.Linux.Nftables;

/// <summary>libnftables.so.1 could not be loaded.</summary>
public sealed class NftUnavailableException : Exception
{
    public NftUnavailableException(Exception inner)
        : base($"libnftables.so.1 is not installed or cannot be loaded ({inner.Message}); install it with: apt-get install libnftables1", inner) { }
}

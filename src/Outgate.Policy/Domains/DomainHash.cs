namespace Outgate.Policy.Domains;

/// <summary>
/// The hash that lets <see cref="DomainSuffixSet"/> hash every suffix of a name in one pass: FNV-1a over the
/// characters from the last to the first, so at each dot (scanning right to left) the running value is the hash of
/// the suffix after it. A 64-bit finaliser (MurmurHash3 fmix64) spreads the bits before slot and fingerprint are
/// taken from it. Input is lower-case ASCII; lookups fold A-Z before calling <see cref="Fold"/>.
/// </summary>
internal static class DomainHash
{
    private const ulong FnvPrime = 0x100000001b3;

    public static ulong Fold(ulong hash, uint c) => (hash ^ c) * FnvPrime;

    public static ulong Finish(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        return hash ^ (hash >> 33);
    }

    public static ulong Of(ReadOnlySpan<byte> lowerCaseName, ulong seed)
    {
        var hash = seed;
        for (var i = lowerCaseName.Length - 1; i >= 0; i--) hash = Fold(hash, lowerCaseName[i]);
        return Finish(hash);
    }
}

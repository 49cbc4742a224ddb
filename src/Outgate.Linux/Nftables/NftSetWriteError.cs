namespace Outgate.Linux.Nftables;

/// <summary>
/// Why the elements for one set were not written. <see cref="Errno"/> is the kernel's answer to that
/// set's message (ENOENT: the table or set does not exist; EINVAL: key length or missing
/// <c>flags timeout</c>; ERANGE: timeout too large), 0 when the failure was not the kernel's.
/// </summary>
public sealed record NftSetWriteError(NftSetId Set, int Errno, string ErrnoName, int Elements, string Message)
{
    public override string ToString() => $"set {Set}: {Message}";
}

namespace Outgate.Linux.Nftables;

/// <summary>
/// The outcome of one <see cref="NftSetElementWriter"/> call: how many elements the kernel committed,
/// and one error per set (and address family) that was left out. Elements of sets without an error
/// are in the kernel when the call returns.
/// </summary>
public sealed class NftSetWriteResult
{
    internal NftSetWriteResult(int written, IReadOnlyList<NftSetWriteError> errors, int transactions)
    {
        Written = written;
        Errors = errors;
        Transactions = transactions;
    }

    /// <summary>Elements acknowledged by the kernel.</summary>
    public int Written { get; }

    /// <summary>Sets whose elements were not written, each with the reason; empty on full success.</summary>
    public IReadOnlyList<NftSetWriteError> Errors { get; }

    /// <summary>Kernel transactions sent, failed attempts included (1 when nothing failed and the batch fit one transaction).</summary>
    public int Transactions { get; }

    public bool Succeeded => Errors.Count == 0;

    public override string ToString() =>
        Succeeded ? $"{Written} elements written" : $"{Written} elements written; {string.Join("; ", Errors)}";
}

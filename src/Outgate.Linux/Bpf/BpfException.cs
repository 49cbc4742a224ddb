namespace Outgate.Linux.Bpf;

/// <summary>A bpf(2) call failed; <see cref="VerifierLog"/> holds the verifier's explanation when a program was refused.</summary>
public sealed class BpfException : Exception
{
    public BpfException() { }

    public BpfException(string message) : base(message) { }

    public BpfException(string message, Exception inner) : base(message, inner) { }

    public BpfException(string message, int errno, string? verifierLog = null) : base(message)
    {
        Errno = errno;
        VerifierLog = verifierLog;
    }

    /// <summary>The errno of the failed call (EPERM: no CAP_BPF/CAP_SYS_ADMIN; EINVAL: refused by the verifier or the kernel is too old).</summary>
    public int Errno { get; }

    public string? VerifierLog { get; }

    internal static BpfException LastError(string what)
    {
        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return new BpfException($"{what}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }
}

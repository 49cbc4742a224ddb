namespace Outgate.Linux.Netlink;

/// <summary>A netlink syscall failed or the kernel answered NLMSG_ERROR; carries the errno and its name.</summary>
public class NetlinkException : IOException
{
    /// <summary>Positive errno (e.g. 2 for ENOENT); 0 when the failure was not an errno.</summary>
    public int Errno { get; }

    /// <summary>Symbolic errno name, e.g. "ENOENT".</summary>
    public string ErrnoName { get; }

    /// <summary>The syscall or netlink request that failed, e.g. "recv" or "SOCK_DIAG_BY_FAMILY dump".</summary>
    public string Operation { get; }

    /// <summary>Extended-ack message from the kernel (NLMSGERR_ATTR_MSG), if it sent one.</summary>
    public string? KernelMessage { get; }

    public NetlinkException(string operation, int errno, string? kernelMessage = null, string? detail = null)
        : base(FormatMessage(operation, errno, kernelMessage, detail))
    {
        Operation = operation;
        Errno = errno;
        ErrnoName = Netlink.Errno.Name(errno);
        KernelMessage = kernelMessage;
    }

    /// <summary>For failures that are not an errno (timeouts on our side, oversize datagrams).</summary>
    public NetlinkException(string operation, string message) : base($"{operation}: {message}")
    {
        Operation = operation;
        ErrnoName = "";
    }

    private static string FormatMessage(string operation, int errno, string? kernelMessage, string? detail)
    {
        var text = $"{operation} failed: {Netlink.Errno.Describe(errno)}";
        if (!string.IsNullOrEmpty(kernelMessage)) text += $"; kernel says \"{kernelMessage}\"";
        if (!string.IsNullOrEmpty(detail)) text += $". {detail}";
        return text;
    }
}

using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// An open <c>/proc/&lt;pid&gt;/fd</c> of one process, kept so that finding where a new socket
/// landed costs one readlinkat per guessed fd number (a few µs) instead of an open and a read of
/// the whole fd table (hundreds of µs for a process with a few hundred fds).
/// </summary>
/// <remarks>
/// The open directory is bound to the process, not to its number: procfs resolves it through the
/// kernel's <c>struct pid</c>, so once the process exits every lookup fails with ENOENT, also
/// after the pid was given to a new process. A kept directory therefore never reports a stranger's
/// sockets; reopen by pid to see the new process. Thread-safe: probes are independent syscalls,
/// and <see cref="ReadSockets"/> lists through its own descriptor (a shared directory offset
/// would interleave two threads' listings).
/// </remarks>
public sealed class ProcessFdDirectory : IDisposable
{
    private const int DirentBufferSize = 16 * 1024;
    private const int LinkBufferSize = 64;

    private readonly ProcFsHandle _dir;

    private ProcessFdDirectory(int pid, ProcFsHandle dir) => (Pid, _dir) = (pid, dir);

    public int Pid { get; }

    /// <summary>Opens <c>&lt;procRoot&gt;/&lt;pid&gt;/fd</c>; false with the errno when the process is gone or not ours to read.</summary>
    public static unsafe bool TryOpen(string procRoot, int pid, [NotNullWhen(true)] out ProcessFdDirectory? directory, out int errno)
    {
        ArgumentException.ThrowIfNullOrEmpty(procRoot);
        directory = null;
        if (pid <= 0) { errno = Interop.ENOENT; return false; }
        var handle = Interop.Open($"{procRoot}/{pid}/fd", Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
        if (handle.IsInvalid)
        {
            errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            return false;
        }
        errno = 0;
        directory = new ProcessFdDirectory(pid, handle);
        return true;
    }

    /// <summary>Reads the link of fd <paramref name="fd"/>; the socket inode when it is a socket. Allocates nothing.</summary>
    public unsafe FdProbe Probe(int fd, out ulong inode)
    {
        inode = 0;
        if (fd < 0) return FdProbe.Missing;
        byte* name = stackalloc byte[12];
        var span = new Span<byte>(name, 12);
        Utf8Formatter.TryFormat(fd, span, out var len);
        name[len] = 0;
        byte* link = stackalloc byte[LinkBufferSize];
        nint n;
        try
        {
            n = Interop.ReadLinkAt(_dir, name, link, LinkBufferSize);
        }
        catch (ObjectDisposedException)
        {
            return FdProbe.Missing; // dropped by another thread while we probed: as good as gone
        }
        if (n < 0) return ProcFsFile.IsDenied(Marshal.GetLastPInvokeError()) ? FdProbe.Denied : FdProbe.Missing;
        return SocketOwnerIndex.TryParseSocketLink(new ReadOnlySpan<byte>(link, (int)n), out inode) ? FdProbe.Socket : FdProbe.NotSocket;
    }

    /// <summary>
    /// Reads every fd of the process, calling <paramref name="onSocket"/> with each socket's fd and
    /// inode, and returns the lowest fd numbers that are free (where the kernel puts the next new
    /// fd: it always takes the lowest free number) into <paramref name="freeFds"/>. False when the
    /// process is gone or not ours to read. Allocates nothing per fd.
    /// </summary>
    /// <returns>True when the table was read; <paramref name="freeCount"/> free numbers were written.</returns>
    public unsafe bool ReadSockets<TState>(SocketFdVisitor<TState> onSocket, TState state, Span<int> freeFds, out int freeCount)
    {
        ArgumentNullException.ThrowIfNull(onSocket);
        freeCount = 0;
        byte* dot = stackalloc byte[2] { (byte)'.', 0 };
        ProcFsHandle listing;
        try
        {
            listing = Interop.OpenAt(_dir, dot, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        using var _ = listing;
        if (listing.IsInvalid) return false;

        // Open fd numbers, to find the holes afterwards; a bit per fd up to the first 4096.
        Span<ulong> open = stackalloc ulong[64];
        open.Clear();
        var highest = -1;
        var buffer = ArrayPool<byte>.Shared.Rent(DirentBufferSize);
        byte* link = stackalloc byte[LinkBufferSize];
        try
        {
            fixed (byte* b = buffer)
            {
                while (true)
                {
                    var n = Interop.GetDents64(listing, b, (nuint)buffer.Length);
                    if (n == 0) break;
                    if (n < 0)
                    {
                        if (Marshal.GetLastPInvokeError() == Interop.EINTR) continue;
                        return false; // ENOENT: the process exited
                    }
                    var reader = new DirectoryEntryReader(new ReadOnlySpan<byte>(b, (int)n));
                    while (reader.MoveNext())
                    {
                        if (!SocketOwnerIndex.TryParseFdNumber(reader.Name, out var fd)) continue;
                        if (fd < open.Length * 64) open[fd >> 6] |= 1UL << (fd & 63);
                        if (fd > highest) highest = fd;
                        var m = Interop.ReadLinkAt(listing, b + reader.NameStart, link, LinkBufferSize);
                        if (m > 0 && SocketOwnerIndex.TryParseSocketLink(new ReadOnlySpan<byte>(link, (int)m), out var inode))
                            onSocket(state, fd, inode);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        for (var fd = 0; fd <= highest + 1 && freeCount < freeFds.Length && fd < open.Length * 64; fd++)
            if ((open[fd >> 6] & (1UL << (fd & 63))) == 0) freeFds[freeCount++] = fd;
        return true;
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>Called by <see cref="ProcessFdDirectory.ReadSockets"/> for each socket fd.</summary>
public delegate void SocketFdVisitor<in TState>(TState state, int fd, ulong inode);

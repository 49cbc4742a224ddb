using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// SHA-256 of executables, cached by file identity (device, inode, size, mtime, ctime) so each
/// binary is hashed once until it changes. Thread-safe; share one instance.
/// </summary>
public sealed class ExecutableHasher
{
    private const int S_IFMT = 0xF000, S_IFREG = 0x8000;
    private const int ReadBufferSize = 128 * 1024;

    private readonly ConcurrentDictionary<FileIdentity, string> _hashes = new();

    /// <summary>Files hashed so far (cache misses); for tests and metrics.</summary>
    public int FilesHashed => _filesHashed;
    private int _filesHashed;

    /// <summary>
    /// Hashes the regular file at <paramref name="path"/> (symlinks followed); lowercase hex, or
    /// null if it cannot be opened or read, or is not a regular file.
    /// </summary>
    public string? TryHashSha256(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fd = Interop.Open(path, Interop.O_RDONLY | Interop.O_CLOEXEC);
        if (fd.IsInvalid) return null;
        return TryHashOpenFile(fd);
    }

    /// <summary>
    /// Hashes what process <paramref name="pid"/> actually runs, through /proc/&lt;pid&gt;/exe: this
    /// opens the mapped file itself, so it works after the binary on disk was replaced or deleted
    /// (the "(deleted)" case an attacker would use). Null if the process is gone or we may not look.
    /// </summary>
    public string? TryHashProcessExecutable(int pid, string procRoot = "/proc")
    {
        if (pid <= 0) return null;
        return TryHashSha256($"{procRoot.TrimEnd('/')}/{pid.ToString(CultureInfo.InvariantCulture)}/exe");
    }

    private unsafe string? TryHashOpenFile(ProcFsHandle fd)
    {
        // Identity of the file we hold open, not of whatever the path names by now.
        byte empty = 0;
        if (Interop.StatX(fd, &empty, Interop.AT_EMPTY_PATH, Interop.STATX_BASIC_STATS, out var st) != 0) return null;
        if ((st.stx_mode & S_IFMT) != S_IFREG) return null;
        var identity = FileIdentity.From(st);
        if (_hashes.TryGetValue(identity, out var cached)) return cached;

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            while (true)
            {
                nint n;
                fixed (byte* p = buffer)
                    n = Interop.Read(fd, p, (nuint)buffer.Length);
                if (n == 0) break;
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Interop.EINTR) continue;
                    return null;
                }
                sha.AppendData(buffer, 0, (int)n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var hex = Convert.ToHexStringLower(sha.GetHashAndReset());
        Interlocked.Increment(ref _filesHashed);
        return _hashes.GetOrAdd(identity, hex);
    }
}

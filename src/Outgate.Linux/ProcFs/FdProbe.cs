namespace Outgate.Linux.ProcFs;

/// <summary>What one fd number of a process held when <see cref="ProcessFdDirectory.Probe"/> looked.</summary>
public enum FdProbe
{
    /// <summary>A socket; its inode came back.</summary>
    Socket,

    /// <summary>Open, but a file, pipe or anon inode.</summary>
    NotSocket,

    /// <summary>No such fd (a free number), or the process is gone: /proc answers ENOENT for both.</summary>
    Missing,

    /// <summary>We may not read this process's fds (another user's, and we are not root).</summary>
    Denied,
}

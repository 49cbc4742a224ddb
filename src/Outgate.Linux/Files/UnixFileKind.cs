namespace Outgate.Linux.Files;

/// <summary>What a path names, as far as our callers care (.NET reports sockets as regular files).</summary>
public enum UnixFileKind
{
    Missing,
    Socket,
    Directory,
    Other,
}

namespace Outgate.Linux.SockDiag { public sealed class SockDiagClient : IDisposable { public List<SocketEntry> Dump(System.Net.Sockets.AddressFamily f, SocketProtocol p) => []; public void Dispose() { } } public sealed class SockDiagUnsupportedException : Exception { } }
namespace Outgate.Linux.ProcFs { public sealed class SocketOwnerIndex { public static SocketOwnerIndex Scan(string procRoot = "/proc") => new(); public IReadOnlyList<int> PidsOf(ulong inode) => []; public int ProcessesDenied => 0; }
public sealed class ProcessInfoReader { public ProcessInfoReader(string procRoot = "/proc") { _ = procRoot; } public bool TryRead(int pid, out ProcessInfo info) { info = null!; return false; } }
public sealed class ExecutableHasher { public string? TryHashProcessExecutable(int pid, string procRoot = "/proc") => null; } }
namespace Outgate.Cli.Connections { public sealed class UserNames { public string? NameOf(uint uid) => null; } }

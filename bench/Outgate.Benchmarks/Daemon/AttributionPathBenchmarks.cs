using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Outgate.Linux.ProcFs;

namespace Outgate.Benchmarks.Daemon;

/// <summary>
/// The /proc reads on the per-connection path, for a process holding ~200 sockets (a busy client):
/// finding a new socket's fd the old way (the whole fd table) against one guessed readlinkat on a
/// kept fd directory, and the daemon's per-connection cgroup re-read (File.ReadAllBytes + string)
/// against <see cref="CurrentCgroupReader"/>. Needs Linux; no root, no traffic (unbound UDP sockets).
/// Run: dotnet run -c Release --project bench/Outgate.Benchmarks -- --filter '*AttributionPath*' --job short
/// </summary>
[MemoryDiagnoser]
public class AttributionPathBenchmarks
{
    private readonly List<Socket> _sockets = [];
    private ProcessFdDirectory _fds = null!;
    private CurrentCgroupReader _cgroups = null!, _cgroupsAged = null!;
    private int _pid, _lastFd;
    private string _cgroupPath = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < 200; i++) _sockets.Add(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        _pid = Environment.ProcessId;
        _lastFd = (int)_sockets[^1].Handle;
        if (!ProcessFdDirectory.TryOpen("/proc", _pid, out var fds, out var errno))
            throw new InvalidOperationException($"cannot open /proc/{_pid}/fd: errno {errno}");
        _fds = fds;
        _cgroups = new CurrentCgroupReader();
        _cgroupsAged = new CurrentCgroupReader(maxAge: TimeSpan.FromMilliseconds(250));
        _cgroupPath = $"/proc/{_pid}/cgroup";
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fds.Dispose();
        foreach (var s in _sockets) s.Dispose();
    }

    [Benchmark(Baseline = true, Description = "fd table: SocketOwnerIndex.ScanProcesses(self) (before)")]
    public int WholeFdTableScan() => SocketOwnerIndex.ScanProcesses("/proc", [_pid]).SocketCount;

    [Benchmark(Description = "fd table: ProcessFdDirectory.ReadSockets (kept dir)")]
    public int WholeFdTableRead()
    {
        var box = new int[1];
        _fds.ReadSockets(static (b, _, _) => b[0]++, box, stackalloc int[2], out _);
        return box[0];
    }

    [Benchmark(Description = "one guessed fd: ProcessFdDirectory.Probe (after)")]
    public ulong ProbeOneFd()
    {
        _fds.Probe(_lastFd, out var inode);
        return inode;
    }

    [Benchmark(Description = "cgroup: File.ReadAllBytes + TrySelectPath (daemon today)")]
    public string? CgroupReadAllBytes() => CgroupFileParser.TrySelectPath(File.ReadAllBytes(_cgroupPath), out string path) ? path : null;

    [Benchmark(Description = "cgroup: CurrentCgroupReader.TryRead")]
    public string? CgroupReader() => _cgroups.TryRead(_pid, out var path) ? path : null;

    [Benchmark(Description = "cgroup: CurrentCgroupReader.TryRead, max age 250 ms")]
    public string? CgroupReaderWithMaxAge() => _cgroupsAged.TryRead(_pid, out var path) ? path : null;
}

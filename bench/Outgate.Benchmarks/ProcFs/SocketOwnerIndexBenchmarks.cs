using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Outgate.Linux.ProcFs;

namespace Outgate.Benchmarks.ProcFs;

/// <summary>
/// <see cref="SocketOwnerIndex.Scan(string)"/> over the real /proc, as is and with the target load
/// added: 200 processes holding 50 bound UDP sockets each (10,000 sockets), started in a network
/// namespace of their own (<c>unshare --net</c>) so nothing is bound on the host. Needs root for
/// the namespace and to read every process's fds. Compare with <c>ss -uanp</c> in that namespace.
/// </summary>
[MemoryDiagnoser]
public class SocketOwnerIndexBenchmarks
{
    private const string LoadScript = """
        import os, socket, sys
        def hold():
            socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(50)]
            for s in socks: s.bind(("127.0.0.1", 0))
            return socks
        r, w = os.pipe()
        for i in range(199):
            if os.fork() == 0:
                os.close(r); socks = hold(); os.write(w, b"x"); sys.stdin.read(); os._exit(0)
        os.close(w)
        socks = hold()
        got = 0
        while got < 199: got += len(os.read(r, 199))
        print(os.getpid(), flush=True)
        sys.stdin.read()
        """;

    private Process? _load;

    /// <summary>Extra processes × sockets each started for the run: 0 (the host as is) or 200×50.</summary>
    [Params(0, 10_000)]
    public int ExtraSockets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (ExtraSockets == 0) return;
        var psi = new ProcessStartInfo("unshare", ["--net", "/usr/bin/python3", "-c", LoadScript])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _load = Process.Start(psi) ?? throw new InvalidOperationException("could not start the load generator (unshare + python3)");
        var ready = _load.StandardOutput.ReadLine();
        if (ready is null) throw new InvalidOperationException("load generator ended before it was ready (needs root for unshare --net)");
        var index = SocketOwnerIndex.Scan();
        Console.WriteLine($"// load ready: pid {ready.Trim()}, index sees {index.SocketCount} sockets in {index.ProcessesScanned} processes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_load is null) return;
        _load.Kill(entireProcessTree: true); // only the tree we started, by pid
        _load.WaitForExit(10_000);
        _load.Dispose();
    }

    [Benchmark]
    public int Scan() => SocketOwnerIndex.Scan().SocketCount;

    /// <summary>What `outgate connections` does: scan, then describe every owner once.</summary>
    [Benchmark]
    public int ScanAndDescribeOwners()
    {
        var index = SocketOwnerIndex.Scan();
        var reader = new ProcessInfoReader();
        var described = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && reader.TryRead(pid, out _))
                described++;
        return described + index.SocketCount;
    }
}

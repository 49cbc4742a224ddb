using System.Diagnostics;

namespace Outgate.Testing;

/// <summary>
/// A network namespace of our own (<c>og-test-&lt;pid&gt;-&lt;random&gt;</c>) with <c>lo</c> up.
/// Everything started through it is ended by PID and the namespace is deleted on dispose, also
/// when the test failed. Leftovers of killed runs (owner pid gone) are swept on creation.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private readonly List<Process> _started = [];
    private readonly List<string> _peers = [];

    public string Name { get; }

    private NetworkNamespace(string name) => Name = name;

    public static bool IsRoot => Environment.UserName == "root" || geteuid() == 0;

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();

    /// <summary>Skips the calling test unless it runs as root with the ip tool available.</summary>
    public static void SkipUnlessRoot()
    {
        if (!IsRoot)
            Assert.Skip("needs root: creates network namespaces (run the suite as root, e.g. sudo ./scripts/test.sh)");
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip"))
            Assert.Skip("needs iproute2 (apt-get install iproute2)");
    }

    public static async Task<NetworkNamespace> CreateAsync(string tag = "test")
    {
        SweepLeftovers();
        var name = $"og-{tag}-{Environment.ProcessId}-{Random.Shared.Next(0x10000, 0xFFFFF):x}";
        var ns = new NetworkNamespace(name);
        await Shell.RunCheckedAsync("ip", ["netns", "add", name]);
        await ns.ExecCheckedAsync("ip", "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>
    /// Connects this namespace to <paramref name="peer"/> with a veth pair and IPv4/IPv6 addresses
    /// (10.&lt;n&gt;.0.1/24 + fd00:&lt;n&gt;::1/64 here, .2/::2 there).
    /// </summary>
    public async Task ConnectAsync(NetworkNamespace peer, int subnet, string ifHere = "og0", string ifThere = "og1")
    {
        await Shell.RunCheckedAsync("ip", ["link", "add", ifHere, "netns", Name, "type", "veth", "peer", "name", ifThere, "netns", peer.Name]);
        _peers.Add(peer.Name);
        await ExecCheckedAsync("ip", "addr", "add", $"10.{subnet}.0.1/24", "dev", ifHere);
        await ExecCheckedAsync("ip", "-6", "addr", "add", $"fd00:{subnet}::1/64", "dev", ifHere, "nodad");
        await ExecCheckedAsync("ip", "link", "set", ifHere, "up");
        await peer.ExecCheckedAsync("ip", "addr", "add", $"10.{subnet}.0.2/24", "dev", ifThere);
        await peer.ExecCheckedAsync("ip", "-6", "addr", "add", $"fd00:{subnet}::2/64", "dev", ifThere, "nodad");
        await peer.ExecCheckedAsync("ip", "link", "set", ifThere, "up");
    }

    /// <summary>Runs a command inside the namespace and waits for it.</summary>
    public Task<ShellResult> ExecAsync(string file, params string[] args) =>
        Shell.RunAsync("ip", ["netns", "exec", Name, file, .. args]);

    public Task<ShellResult> ExecCheckedAsync(string file, params string[] args) =>
        Shell.RunCheckedAsync("ip", ["netns", "exec", Name, file, .. args]);

    /// <summary>Starts a long-running process inside the namespace; it is killed by PID on dispose.</summary>
    public Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in (string[])["netns", "exec", Name, file, .. args]) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        _started.Add(p);
        return p;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _started)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            try { await p.WaitForExitAsync(new CancellationTokenSource(5000).Token); } catch (OperationCanceledException) { }
            p.Dispose();
        }
        await DeleteAsync(Name);
    }

    private static async Task DeleteAsync(string name)
    {
        // `ip netns pids` lists anything still inside (e.g. a daemon a test forgot): end only those we can attribute to this namespace.
        var pids = await Shell.RunAsync("ip", ["netns", "pids", name]);
        foreach (var line in pids.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(line.Trim(), out var pid))
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        await Shell.RunAsync("ip", ["netns", "delete", name]);
    }

    private static void SweepLeftovers()
    {
        if (!Directory.Exists("/run/netns")) return;
        foreach (var path in Directory.GetFiles("/run/netns", "og-*"))
        {
            var parts = Path.GetFileName(path).Split('-');
            if (parts.Length >= 4 && int.TryParse(parts[2], out var owner) && !Directory.Exists($"/proc/{owner}"))
                DeleteAsync(Path.GetFileName(path)).GetAwaiter().GetResult();
        }
    }
}

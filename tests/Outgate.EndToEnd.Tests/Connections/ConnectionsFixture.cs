using System.Diagnostics;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Connections;

/// <summary>
/// One namespace with known sockets, shared by the connection tests:
/// - "main" (root, python3): TCP listeners 127.0.0.1:18080 and [::1]:18443, UDP 0.0.0.0:15353 and
///   [::1]:15354 (unconnected), an established TCP pair on 18080 that moved 5000 bytes, a
///   connected UDP socket to 127.0.0.1:15353;
/// - "nobody" (uid 65534): TCP listener 127.0.0.1:18081;
/// - "unit" (in cgroup /og-test.slice/og-test-&lt;r&gt;.service): TCP listener 127.0.0.1:18082;
/// - "container" (in cgroup /system.slice/docker-&lt;64 hex&gt;.scope): TCP listener [::1]:18083;
/// - a short-lived client that connected to 18080 and exited, leaving a TIME_WAIT socket.
/// </summary>
public sealed class ConnectionsFixture : IAsyncLifetime
{
    public const string Python = "/usr/bin/python3";

    public NetworkNamespace Ns { get; private set; } = null!;
    public Process Main { get; private set; } = null!;
    public Process Nobody { get; private set; } = null!;
    public Process Unit { get; private set; } = null!;
    public Process Container { get; private set; } = null!;
    public string UnitName { get; } = $"og-test-{Random.Shared.Next(0x1000, 0xFFFF):x}.service";
    public string ContainerId { get; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
    public string PythonExe { get; } = File.Exists(Python) ? Path.GetFullPath(File.ResolveLinkTarget(Python, returnFinalTarget: true)?.FullName ?? Python) : Python;
    public string? SkipReason { get; private set; }

    private CgroupSandbox? _unitCgroup, _containerCgroup;

    private const string MainScript = """
import socket, sys, time
t4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t4.bind(("127.0.0.1", 18080)); t4.listen(16)
t6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM); t6.bind(("::1", 18443)); t6.listen(16)
u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u4.bind(("0.0.0.0", 15353))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(("::1", 15354))
c = socket.create_connection(("127.0.0.1", 18080)); s, _ = t4.accept()
c.sendall(b"x" * 5000); got = 0
while got < 5000: got += len(s.recv(65536))
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); uc.connect(("127.0.0.1", 15353)); uc.send(b"ping")
print("ready", flush=True)
while True:
    try:
        a, _ = t4.accept()
        while a.recv(100): pass  # close only after the client's FIN, so the client side is the one in TIME_WAIT
        a.close()
    except Exception:
        time.sleep(0.1)
""";

    private static string Listener(string host, int port, bool v6) => $"""
import socket, time
s = socket.socket(socket.AF_INET{(v6 ? "6" : "")}, socket.SOCK_STREAM); s.bind(("{host}", {port})); s.listen(4)
print("ready", flush=True)
time.sleep(600)
""";

    public async ValueTask InitializeAsync()
    {
        if (!NetworkNamespace.IsRoot) { SkipReason = "needs root: creates network namespaces and cgroups (run the suite as root)"; return; }
        if (!File.Exists(Python)) { SkipReason = "needs Debian's python3 at /usr/bin/python3 (apt-get install python3)"; return; }
        Ns = await NetworkNamespace.CreateAsync("conn");
        Main = Ns.Start(Python, "-c", MainScript);
        Nobody = Ns.Start("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Python, "-c", Listener("127.0.0.1", 18081, false));
        Unit = Ns.Start(Python, "-c", Listener("127.0.0.1", 18082, false));
        Container = Ns.Start(Python, "-c", Listener("::1", 18083, true));
        foreach (var p in new[] { Main, Nobody, Unit, Container }) await WaitReadyAsync(p);

        _unitCgroup = CgroupSandbox.Create($"/og-test.slice/{UnitName}");
        _unitCgroup.Add(Unit.Id);
        _containerCgroup = CgroupSandbox.Create($"/system.slice/docker-{ContainerId}.scope");
        _containerCgroup.Add(Container.Id);

        // The short-lived client closes first, so its side of the connection lingers in TIME_WAIT.
        var shortLived = await Ns.ExecAsync(Python, "-c", "import socket; c = socket.create_connection(('127.0.0.1', 18080)); c.send(b'bye'); c.close()");
        if (shortLived.ExitCode != 0) throw new InvalidOperationException("short-lived client failed: " + shortLived);
    }

    private static async Task WaitReadyAsync(Process p)
    {
        var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (line != "ready") throw new InvalidOperationException($"fixture process {p.Id} did not start: {line} {await p.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Ns is not null) await Ns.DisposeAsync();
        _unitCgroup?.Dispose();
        _containerCgroup?.Dispose();
    }
}

using System.Diagnostics;
using Outgate.Linux.Netlink;
using Outgate.Linux.ProcConnector;
using Outgate.Testing;

namespace Outgate.Linux.Tests.ProcConnector;

/// <summary>Receive-only: observing process events in the host namespace enforces nothing.</summary>
public class ProcConnectorListenerTests
{
    [Fact]
    public void Sees_fork_exec_and_exit_of_a_short_lived_process()
    {
        NetworkNamespace.SkipUnlessRoot();
        using var listener = ProcConnectorListener.Open();
        using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        var pid = process.Id;
        Assert.True(process.WaitForExit(5000));

        var events = new List<ProcEvent>();
        var deadline = Environment.TickCount64 + 5000;
        while (Environment.TickCount64 < deadline && !events.Any(e => e.Type == ProcEventType.Exit && e.ProcessTgid == pid))
            listener.Receive(static (in ProcEvent e, List<ProcEvent> list) => list.Add(e), events, maxEvents: 256);

        Assert.Contains(events, e => e.Type == ProcEventType.Fork && e.ChildTgid == pid && e.ParentTgid == Environment.ProcessId);
        var exec = Assert.Single(events, e => e.Type == ProcEventType.Exec && e.ProcessTgid == pid);
        var exit = Assert.Single(events, e => e.Type == ProcEventType.Exit && e.ProcessTgid == pid && e.ProcessId == pid);
        Assert.Equal(0u, exit.ExitCode);
        Assert.True(exit.TimestampNanoseconds >= exec.TimestampNanoseconds);
        Assert.Equal(0, listener.Overruns);
    }

    [Fact]
    public async Task Inside_a_network_namespace_it_fails_with_a_typed_ECONNREFUSED()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("pc");
        var ex = Assert.Throws<ProcConnectorUnavailableException>(() => NetworkNamespaceScope.Run(ns.Name, () => ProcConnectorListener.Open()));
        Assert.Equal(("ECONNREFUSED", 111), (ex.ErrnoName, ex.Errno));
        Assert.Contains("initial network namespace", ex.Message);
    }
}

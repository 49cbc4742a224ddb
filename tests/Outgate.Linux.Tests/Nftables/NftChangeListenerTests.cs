using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Nftables;

public class NftChangeListenerTests
{
    /// <summary>Receives until <paramref name="until"/> holds for what was collected, or <paramref name="milliseconds"/> pass.</summary>
    private static List<NftChangeSnapshot> Collect(NftChangeListener listener, Func<List<NftChangeSnapshot>, bool> until, int milliseconds = 5000)
    {
        var seen = new List<NftChangeSnapshot>();
        var deadline = Environment.TickCount64 + milliseconds;
        while (Environment.TickCount64 < deadline && !until(seen))
            listener.Receive(static (in NftChange c, List<NftChangeSnapshot> s) => s.Add(NftChangeSnapshot.Of(c)), seen);
        return seen;
    }

    [Fact]
    public async Task Sees_table_inet_outgate_come_and_go_and_who_committed_each_change()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("nm");
        using var listener = NetworkNamespaceScope.Run(ns.Name, () => NftChangeListener.Open());

        // `ip netns exec` execs nft in place, so the started process's pid is nft's.
        var add = ns.Start("nft", "add table inet outgate; add chain inet outgate output { type filter hook output priority 0; }; add rule inet outgate output counter");
        await add.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, add.ExitCode);
        var added = Collect(listener, s => s.Any(c => c.Kind == NftObjectKind.Generation));
        Assert.Contains(added, c => c is { Kind: NftObjectKind.Table, IsAdd: true, Family: 1, Table: "outgate" });
        Assert.Contains(added, c => c is { Kind: NftObjectKind.Chain, IsAdd: true, Table: "outgate", Name: "output" });
        Assert.Contains(added, c => c is { Kind: NftObjectKind.Rule, IsAdd: true, Table: "outgate", Name: "output" } && c.Handle != 0);
        var addGeneration = Assert.Single(added, c => c.Kind == NftObjectKind.Generation);
        Assert.Equal((add.Id, "nft"), (addGeneration.ProcessId, addGeneration.ProcessName));

        // Our own commit, through libnftables on a thread inside the namespace: the kernel names that thread.
        var threadId = NetworkNamespaceScope.Run(ns.Name, () =>
        {
            using var nft = new NftClient(json: false);
            nft.Run("delete table inet outgate");
            return int.Parse(Path.GetFileName(new DirectoryInfo("/proc/thread-self").LinkTarget!));
        });
        var deleted = Collect(listener, s => s.Any(c => c.Kind == NftObjectKind.Generation));
        Assert.Contains(deleted, c => c is { Kind: NftObjectKind.Table, IsAdd: false, Family: 1, Table: "outgate" });
        var deleteGeneration = Assert.Single(deleted, c => c.Kind == NftObjectKind.Generation);
        Assert.Equal(threadId, deleteGeneration.ProcessId);
        Assert.True(deleteGeneration.GenerationId > addGeneration.GenerationId);
        Assert.Equal(0, listener.Malformed);
    }

    [Fact]
    public async Task Changes_in_another_namespace_are_not_seen()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var watched = await NetworkNamespace.CreateAsync("nw");
        await using var other = await NetworkNamespace.CreateAsync("no");
        using var listener = NetworkNamespaceScope.Run(watched.Name, () => NftChangeListener.Open(receiveTimeout: TimeSpan.FromMilliseconds(100)));
        await other.ExecCheckedAsync("nft", "add table inet outgate");
        var seen = Collect(listener, _ => false, milliseconds: 1000);
        Assert.Empty(seen);
    }
}

using System.Runtime.CompilerServices;
using Outgate.Daemon.Unix;

namespace Outgate.EndToEnd.Tests.Daemon;

public class PeerCredentialTests
{
    [Fact]
    public void Ucred_has_the_kernel_layout() => Assert.Equal(12, Unsafe.SizeOf<Interop.ucred>());

    [Fact]
    public void Groups_line_of_proc_status_parses() =>
        Assert.Equal([4u, 24u, 27u, 1000u], PeerCredentialReader.ParseGroupsLine("Groups:\t4 24 27 1000 "));

    [Fact]
    public void Empty_groups_line_parses_to_nothing() => Assert.Empty(PeerCredentialReader.ParseGroupsLine("Groups:\t"));

    [Fact]
    public void Membership_counts_the_primary_and_supplementary_groups()
    {
        var peer = new PeerCredentials(1, 1000, 1000, [27, 998]);
        Assert.True(peer.IsInGroup(998));
        Assert.True(peer.IsInGroup(1000));
        Assert.False(peer.IsInGroup(0));
        Assert.False(peer.IsRoot);
    }
}

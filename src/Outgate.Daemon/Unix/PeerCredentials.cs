namespace Outgate.Daemon.Unix;

/// <summary>Who is on the other end of an API connection, as the kernel reported it at connect(2).</summary>
/// <param name="Pid">The peer's process id.</param>
/// <param name="Uid">Effective uid.</param>
/// <param name="Gid">Effective (primary) gid.</param>
/// <param name="Groups">Supplementary groups.</param>
public sealed record PeerCredentials(int Pid, uint Uid, uint Gid, IReadOnlyList<uint> Groups)
{
    public bool IsRoot => Uid == 0;

    public bool IsInGroup(uint gid) => Gid == gid || Groups.Contains(gid);
}

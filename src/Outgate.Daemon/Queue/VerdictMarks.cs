using Outgate.Daemon.Decisions;
using Outgate.Policy;

namespace Outgate.Daemon.Queue;

/// <summary>The packet mark a verdict carries back to the kernel: our bits replaced, every other bit kept.</summary>
public static class VerdictMarks
{
    public static uint For(AppVerdict verdict, uint mark) => (mark & ~DaemonMarks.All) | verdict switch
    {
        AppVerdict.Allow => DaemonMarks.Allow,
        AppVerdict.Deny => DaemonMarks.Deny,
        _ => 0u,
    };
}

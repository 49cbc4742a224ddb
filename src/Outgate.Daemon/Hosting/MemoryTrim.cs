using System.Runtime;
using System.Runtime.InteropServices;

namespace Outgate.Daemon.Hosting;

/// <summary>
/// Gives memory back once a burst of connections is over. The GC keeps the regions a burst made it commit and glibc
/// keeps the heap SQLite grew, so without this the daemon stays at its peak size for good: 20 s after a burst of 9,000
/// connections/s it was 89 MiB without this and 65 MiB with it (docs/benchmarks.md). A burst is <see cref="BurstFlows"/> live flows
/// or more; it is over when they fell to a quarter of the peak. One compacting collection then (a pause of a few ms, once
/// per burst, never during one) and <c>malloc_trim</c>. Called from one thread (the flow meter's, after each sweep).
/// </summary>
public sealed partial class MemoryTrim
{
    public const int BurstFlows = 10_000;

    private int _peak;

    public long Trims { get; private set; }

    /// <summary>Looks at the live flow count; trims when a burst just ended. True when it did.</summary>
    public bool Observe(int liveFlows)
    {
        if (liveFlows > _peak) _peak = liveFlows;
        if (_peak < BurstFlows || liveFlows > _peak / 4) return false;
        _peak = liveFlows;
        Trim();
        Trims++;
        return true;
    }

    private static void Trim()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            malloc_trim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): nothing more to give back.
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}

using System.Globalization;

namespace Outgate.Daemon.Api;

/// <summary>
/// The daemon's memory in <c>GET /v1/status</c>: what the kernel counts against it (resident set) next to what the GC
/// holds, and the live flows the flow book tracks, which is what the managed heap grows with under load.
/// </summary>
public sealed record MemoryResponse(long ResidentBytes, long GcHeapBytes, long GcCommittedBytes, long GcFragmentedBytes, int LiveFlows)
{
    public static MemoryResponse Read(int liveFlows)
    {
        var gc = GC.GetGCMemoryInfo();
        return new MemoryResponse(ReadResident(), gc.HeapSizeBytes, gc.TotalCommittedBytes, gc.FragmentedBytes, liveFlows);
    }

    /// <summary>Resident pages from /proc/self/statm (its second field) times the page size; 0 when unreadable.</summary>
    private static long ReadResident()
    {
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
                ? pages * Environment.SystemPageSize
                : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

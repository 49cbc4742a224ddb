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
        return new MemoryResponse(Environment.WorkingSet, gc.HeapSizeBytes, gc.TotalCommittedBytes, gc.FragmentedBytes, liveFlows);
    }
}

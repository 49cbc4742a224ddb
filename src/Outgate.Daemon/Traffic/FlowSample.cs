using Outgate.Daemon.Flows;

namespace Outgate.Daemon.Traffic;

/// <summary>
/// One conntrack entry as a dump (or its DESTROY event) showed it: its key, its id and the byte counters so far
/// (out = original direction, what the program sent; in = reply).
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct FlowSample(FlowKey Key, uint? Id, ulong BytesOut, ulong BytesIn, bool IsIPv6 = false)
{
    public static FlowSample Of(in Outgate.Linux.Conntrack.ConntrackEvent entry)
    {
        var o = entry.Original;
        return new FlowSample(new FlowKey(o.Protocol, o.Source, o.SourcePort, o.Destination, o.DestinationPort), entry.Id,
            entry.OriginalCounters?.Bytes ?? 0, entry.ReplyCounters?.Bytes ?? 0, o.Family == System.Net.Sockets.AddressFamily.InterNetworkV6);
    }
}

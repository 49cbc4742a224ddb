using System.Diagnostics.Metrics;

namespace Outgate.Daemon.Metrics;

/// <summary>
/// The meter "Outgate" and the two instruments recorded on the hot path (decision and attribution latency).
/// Everything else is observed from the daemon's existing counters at scrape time (<see cref="OutgateMetrics"/>), so the
/// verdict path only pays for these two <see cref="Histogram{T}.Record(T)"/> calls: no tags, no allocation, and a no-op
/// while nothing listens.
/// </summary>
public static class OutgateMeter
{
    /// <summary>The meter name the Prometheus exporter subscribes to.</summary>
    public const string Name = "Outgate";

    /// <summary>Bucket bounds in seconds, 10 µs to 1 s: a cached verdict takes microseconds, a fresh one with hashing milliseconds.</summary>
    public static readonly double[] LatencyBuckets =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    public static readonly Meter Meter = new(Name, Hosting.DaemonInfo.Version);

    /// <summary>Packet in to verdict out, per queued connection (<c>outgate_decision_duration_seconds</c>).</summary>
    public static readonly Histogram<double> DecisionSeconds = Meter.CreateHistogram("outgate.decision.duration", "s",
        "Time from a queued packet to its verdict (prompts: to parking)", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    /// <summary>Finding the process of a connection (<c>outgate_attribution_duration_seconds</c>).</summary>
    public static readonly Histogram<double> AttributionSeconds = Meter.CreateHistogram("outgate.attribution.duration", "s",
        "Time to attribute a connection to its process (sock_diag + /proc)", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
}

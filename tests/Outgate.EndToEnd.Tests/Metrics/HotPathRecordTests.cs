using OpenTelemetry;
using OpenTelemetry.Metrics;
using Outgate.Daemon.Metrics;

namespace Outgate.EndToEnd.Tests.Metrics;

/// <summary>The verdict path records two histograms per connection: that must not allocate, also while exported.</summary>
public sealed class HotPathRecordTests
{
    [Fact]
    public void Recording_decision_and_attribution_latency_allocates_nothing_with_the_exporter_listening()
    {
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(OutgateMeter.Name)
            .AddReader(new BaseExportingMetricReader(new DiscardingExporter()))
            .Build();
        for (var i = 0; i < 1000; i++) Record(i); // first records create the metric points

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++) Record(i);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(provider.ForceFlush());
    }

    private static void Record(int i)
    {
        OutgateMeter.DecisionSeconds.Record(i * 1e-7);
        OutgateMeter.AttributionSeconds.Record(i * 1e-7);
    }

    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}

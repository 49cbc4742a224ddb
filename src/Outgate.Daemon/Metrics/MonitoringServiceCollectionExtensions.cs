using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using Outgate.Daemon.Alerts.Health;
using Outgate.Daemon.Alerts.Sinks;
using OpenTelemetry.Resources;

namespace Outgate.Daemon.Metrics;

/// <summary>
/// Watching the daemon itself: Prometheus <c>/metrics</c> (the OpenTelemetry meter provider with meter "Outgate" and its
/// scraping endpoint), the <c>health</c> alerts, and the journal and desktop alert sinks.
/// </summary>
public static class MonitoringServiceCollectionExtensions
{
    /// <summary>Path of the scraping endpoint (a4's dashboard listener lets GET on it through without a token).</summary>
    public const string Path = "/metrics";

    /// <summary>The meter provider, the Prometheus exporter and <see cref="OutgateMetrics"/> (built with the provider);
    /// <see cref="HealthAlertService"/>; the <see cref="JournalSink"/> and <see cref="DesktopSink"/> alert sinks.</summary>
    public static IServiceCollection AddOutgateMonitoring(this IServiceCollection services)
    {
        services.AddSingleton<IAlertSink>(_ => new JournalSink());
        services.AddSingleton<IAlertSink>(_ => new DesktopSink());
        services.AddHostedService<HealthAlertService>();
        services.TryAddSingleton<QueueStatsReader>();
        services.TryAddSingleton<OutgateMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("outgated", serviceVersion: Hosting.DaemonInfo.Version))
            .WithMetrics(b => b
            .AddMeter(OutgateMeter.Name)
            .AddInstrumentation(sp => sp.GetRequiredService<OutgateMetrics>())
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>Maps GET <see cref="Path"/> (Prometheus text format; OpenMetrics when the scraper asks for it).</summary>
    public static IEndpointRouteBuilder MapOutgateMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(Path);
        return endpoints;
    }
}

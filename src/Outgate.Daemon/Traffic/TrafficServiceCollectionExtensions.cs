using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Outgate.Daemon.Alerts.Exfiltration;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Flows;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Traffic;

/// <summary>Registers the traffic meter (always, so <c>GET /v1/traffic</c> answers), the exfiltration detector and, with the kernel path, the meter's dump loop.</summary>
public static class TrafficServiceCollectionExtensions
{
    public static IServiceCollection AddOutgateTraffic(this IServiceCollection services, DaemonOptions options)
    {
        services.TryAddSingleton(sp => new TrafficMeter(sp.GetRequiredService<FlowBook>(), sp.GetRequiredService<NameBook>()));
        services.TryAddSingleton<ExfiltrationDetector>();
        if (options.Kernel) services.AddHostedService<FlowMeterService>();
        return services;
    }
}

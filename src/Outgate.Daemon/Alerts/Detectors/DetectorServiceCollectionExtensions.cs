using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Alerts.Detectors;

public static class DetectorServiceCollectionExtensions
{
    /// <summary>
    /// The decision-path detectors. Call before the queue service is added: <see cref="KnownAppsStore"/> must load the
    /// known apps before the queue decides its first connection.
    /// </summary>
    public static IServiceCollection AddOutgateDetectors(this IServiceCollection services, DaemonOptions options)
    {
        services.TryAddSingleton<KnownApps>();
        services.TryAddSingleton<BlocklistDetector>();
        services.TryAddSingleton<DnsTunnelDetector>();
        services.TryAddSingleton<BeaconingDetector>();
        services.TryAddSingleton<ConnectionDetectors>();
        if (options.Kernel)
        {
            services.AddHostedService<KnownAppsStore>();
            services.AddHostedService<ConnectBackScanner>();
        }
        return services;
    }
}

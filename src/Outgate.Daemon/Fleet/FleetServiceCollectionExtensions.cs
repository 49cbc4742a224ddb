using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Outgate.Daemon.Events;

namespace Outgate.Daemon.Fleet;

public static class FleetServiceCollectionExtensions
{
    /// <summary>
    /// The fleet parts: configuration (<see cref="FleetDatabase"/>), identity, the shipper and heartbeat (idle when no
    /// database is configured) and the retention hold that keeps unshipped events. Needs the event path and the
    /// decision services (<see cref="Alerts.AlertRaiser"/>, <see cref="Policy.LivePolicy"/>).
    /// </summary>
    public static IServiceCollection AddOutgateFleet(this IServiceCollection services)
    {
        services.TryAddSingleton<FleetDatabase>();
        services.TryAddSingleton<HostIdentity>();
        services.TryAddSingleton<ShipperState>();
        services.TryAddSingleton<PolicyDigests>();
        services.TryAddSingleton<RetentionHold>();
        services.AddHostedService<EventShipperService>();
        services.AddHostedService<FleetHeartbeatService>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Daemon.Unix;

namespace Outgate.Daemon.Hosting;

/// <summary>Registers the daemon's core: options, mode, target namespace, event path, socket file.</summary>
public static class DaemonServiceCollectionExtensions
{
    /// <summary>
    /// Adds the daemon host services for <paramref name="options"/>. Later pipeline stages add their
    /// own <c>AddOutgateX()</c> and take <see cref="EventSink"/>, <see cref="ModeState"/> and
    /// <see cref="TargetNamespace"/> from here.
    /// </summary>
    public static IServiceCollection AddOutgateDaemon(this IServiceCollection services, DaemonOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DaemonInfo>();
        services.TryAddSingleton<ModeState>();
        services.TryAddSingleton<TargetNamespace>();
        services.TryAddSingleton(new GroupDatabase());
        services.TryAddSingleton<UnixSocketFile>();
        services.AddOutgateEvents();
        services.AddHostedService<DaemonLifecycle>();
        return services;
    }

    /// <summary>The event path: sink (bounded channel), store, writer and retention services.</summary>
    public static IServiceCollection AddOutgateEvents(this IServiceCollection services)
    {
        services.TryAddSingleton<EventCounters>();
        services.TryAddSingleton<EventSink>();
        services.TryAddSingleton<EventStore>();
        services.TryAddSingleton<EventCommitSignal>();
        services.AddHostedService<EventWriterService>();
        services.AddHostedService<EventRetentionService>();
        services.AddHostedService<EventHealthService>();
        return services;
    }
}

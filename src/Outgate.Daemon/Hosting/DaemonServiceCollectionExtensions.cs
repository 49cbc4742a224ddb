using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Outgate.Daemon.Alerts.Detectors;
using Outgate.Daemon.Attribution;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Events;
using Outgate.Daemon.Flows;
using Outgate.Daemon.Guard;
using Outgate.Daemon.Policy;
using Outgate.Daemon.Prompts;
using Outgate.Daemon.Queue;
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
        Alerts.Sinks.AlertSinkServiceCollectionExtensions.AddOutgateAlertSinks(services);
        services.AddOutgateDecisions(options);
        Metrics.MonitoringServiceCollectionExtensions.AddOutgateMonitoring(services);
        Fleet.FleetServiceCollectionExtensions.AddOutgateFleet(services);
        services.AddHostedService<DaemonLifecycle>();
        return services;
    }

    /// <summary>
    /// The decision path: live policy, attribution, cache, prompts, the queue itself, flow ends and
    /// the tamper guard. With --no-kernel only the parts the API needs are registered.
    /// </summary>
    public static IServiceCollection AddOutgateDecisions(this IServiceCollection services, DaemonOptions options)
    {
        services.TryAddSingleton<LivePolicy>();
        services.TryAddSingleton<DecisionCache>(_ => new DecisionCache());
        services.TryAddSingleton<DecisionCounters>();
        services.TryAddSingleton<KernelVerdicts>();
        services.TryAddSingleton<PromptBook>();
        services.TryAddSingleton<PromptAnswers>();
        services.TryAddSingleton<QueueVerdicts>();
        services.TryAddSingleton<QueueState>();
        services.TryAddSingleton<ConnectionAttribution>();
        services.TryAddSingleton<InterfaceNames>();
        services.TryAddSingleton<FlowBook>(_ => new FlowBook());
        services.TryAddSingleton<TamperCounters>();
        services.TryAddSingleton<NameBook>(sp => new NameBook(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<DnsCounters>();
        services.TryAddSingleton<DomainSetRefill>();
        services.TryAddSingleton<ResolverConfig>();
        services.TryAddSingleton<Alerts.AlertRaiser>();
        services.AddOutgateDetectors(options);
        services.TryAddSingleton<QueueService>();
        services.AddHostedService<PolicyWatchService>();
        Traffic.TrafficServiceCollectionExtensions.AddOutgateTraffic(services, options);
        if (options.Kernel)
        {
            // Bound before the queue rules are installed, so no answer is missed.
            services.AddHostedService<DnsTrackerService>();
            services.AddHostedService(sp => sp.GetRequiredService<QueueService>());
            services.AddHostedService<FlowEndService>();
            services.TryAddSingleton<TamperGuardService>();
            services.AddHostedService(sp => sp.GetRequiredService<TamperGuardService>());
        }
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

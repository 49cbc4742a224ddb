using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Web;

/// <summary>Registers the dashboard: its (already bound) listener, tokens (admin and viewer), sessions, login throttle, stats and rule editor.</summary>
public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddOutgateDashboard(this IServiceCollection services, DaemonOptions options, DashboardListener listener)
    {
        services.TryAddSingleton(listener);
        services.TryAddSingleton(new DashboardToken(options.DashboardTokenPath));
        services.TryAddSingleton(s => new DashboardTokens(s.GetRequiredService<DashboardToken>(),
            new DashboardToken(Path.Combine(options.StateDirectory, DashboardTokens.ViewerFileName), createOnLogin: false)));
        services.TryAddSingleton<DashboardSessions>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<DashboardStats>();
        services.TryAddSingleton<RuleEditor>();
        return services;
    }
}

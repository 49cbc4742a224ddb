using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Outgate.Daemon.Alerts.Api;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>Registers the alert forwarder, the syslog and webhook sinks, and the retention of acknowledgements.</summary>
public static class AlertSinkServiceCollectionExtensions
{
    public static IServiceCollection AddOutgateAlertSinks(this IServiceCollection services)
    {
        services.AddSingleton<IAlertSink, SyslogSink>();
        services.AddSingleton<IAlertSink, WebhookSink>();
        services.TryAddSingleton<AlertForwarder>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AlertForwarder>());
        services.AddHostedService<AlertAckRetentionService>();
        return services;
    }
}

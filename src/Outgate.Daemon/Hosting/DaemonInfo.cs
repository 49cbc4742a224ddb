using System.Reflection;

namespace Outgate.Daemon.Hosting;

/// <summary>Facts about this daemon process for <c>/v1/status</c>.</summary>
public sealed class DaemonInfo(TimeProvider time)
{
    public static string Version { get; } =
        typeof(DaemonInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public TimeSpan Uptime => time.GetUtcNow() - StartedAt;

    public int ProcessId { get; } = Environment.ProcessId;
}

using System.Reflection;

namespace Outgate.Daemon.Hosting;

/// <summary>Facts about this daemon process for <c>/v1/status</c>.</summary>
public sealed class DaemonInfo(TimeProvider time)
{
    public static string Version { get; } =
        typeof(DaemonInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>When the process started (not when this object was first asked for).</summary>
    public DateTimeOffset StartedAt { get; } = new DateTimeOffset(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.Zero);

    public TimeSpan Uptime => time.GetUtcNow() - StartedAt;

    public int ProcessId { get; } = Environment.ProcessId;
}

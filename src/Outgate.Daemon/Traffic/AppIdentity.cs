using Outgate.Policy;

namespace Outgate.Daemon.Traffic;

/// <summary>What <c>outgate top</c> calls one application: the executable, run by one user, in one unit or container.</summary>
public readonly record struct AppIdentity(string? Exe, uint Uid, string? Unit, string? Container)
{
    public static AppIdentity Of(ProcessFacts process) =>
        new(process.ExecutablePath, process.Uid, process.SystemdUnit, process.ContainerName ?? process.ContainerId);

    /// <summary>The name alerts and exfiltration memory use: the executable, else the unit, container or user id.</summary>
    public string Program => Exe ?? Unit ?? Container ?? $"uid {Uid}";
}

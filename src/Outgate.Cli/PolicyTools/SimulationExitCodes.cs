namespace Outgate.Cli.PolicyTools;

/// <summary>
/// Exit codes of <c>outgate policy simulate</c> and <c>diff</c>, for CI and configuration management. They differ from
/// <see cref="Daemon.DaemonExitCodes"/> on purpose: like diff(1) and grep(1), 1 is a finding ("it would break"), not a
/// usage error, so a pipeline can tell "unsafe candidate" from "could not check".
/// </summary>
public static class SimulationExitCodes
{
    /// <summary>Nothing recorded would be refused (simulate); the policies decide the recorded traffic alike (diff).</summary>
    public const int Clean = 0;

    /// <summary>Some recorded connection that was allowed would be refused (simulate); the verdicts differ (diff).</summary>
    public const int Breaks = 1;

    /// <summary>Bad arguments or policy files; nothing was sent.</summary>
    public const int BadInput = 2;

    /// <summary>outgated could not be reached or refused the request.</summary>
    public const int DaemonUnavailable = 3;
}

using Outgate.Policy;

namespace Outgate.Cli.Firewall;

/// <summary>Serializes firewall commands that share a state directory (<see cref="StateDirectoryLock"/>, waited for up to 10 s).</summary>
public static class StateLock
{
    public static IDisposable Acquire(FirewallPaths paths) =>
        StateDirectoryLock.TryAcquire(paths.StateDir, TimeSpan.FromSeconds(10))
        ?? throw new FirewallException(ExitCodes.FileError, $"outgate: another outgate command holds {paths.LockFile} (waited 10 s)");
}

namespace Outgate.Cli.Firewall;

/// <summary>Serializes firewall commands that share a state directory (an exclusive lock file, waited for up to 10 s).</summary>
public static class StateLock
{
    public static IDisposable Acquire(FirewallPaths paths)
    {
        Directory.CreateDirectory(paths.StateDir);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                return new FileStream(paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 99)
            {
                Thread.Sleep(100);
            }
        }
        throw new FirewallException(ExitCodes.FileError, $"outgate: another outgate command holds {paths.LockFile} (waited 10 s)");
    }
}

namespace Outgate.Policy;

/// <summary>
/// The lock every policy writer takes (CLI commands, the dashboard's rule editor): an exclusive open of
/// <c>STATE_DIR/lock</c>, so two edits never interleave their read-modify-write of the policy files.
/// </summary>
public static class StateDirectoryLock
{
    public const string FileName = "lock";

    /// <summary>Takes the lock, trying every 100 ms for up to <paramref name="wait"/>; null when another holder kept it.</summary>
    public static IDisposable? TryAcquire(string stateDirectory, TimeSpan wait)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, FileName);
        var attempts = Math.Max(1, (int)(wait.TotalMilliseconds / 100));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < attempts)
            {
                Thread.Sleep(100);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}

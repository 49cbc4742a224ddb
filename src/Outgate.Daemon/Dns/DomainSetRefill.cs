namespace Outgate.Daemon.Dns;

/// <summary>
/// Tells the DNS tracker that table inet outgate was replaced (an apply, a restore) and its domain
/// sets are empty again, so it refills them from <see cref="NameBook"/>. Requests coalesce.
/// </summary>
public sealed class DomainSetRefill
{
    private int _requested;

    public void Request() => Volatile.Write(ref _requested, 1);

    /// <summary>True once per burst of requests.</summary>
    public bool TryTake() => Interlocked.Exchange(ref _requested, 0) == 1;
}

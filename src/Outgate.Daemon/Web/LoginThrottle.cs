namespace Outgate.Daemon.Web;

/// <summary>
/// Slows down token guessing: after <see cref="MaxFailures"/> failed logins within <see cref="Window"/>,
/// every login is refused (429) until the window has passed since the first of them. One counter for the
/// whole listener: every caller is on loopback, so per-address counting would only let local processes
/// pick different 127.x addresses. 256-bit tokens make guessing hopeless anyway; this keeps logs and CPU calm.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _failures = new();

    /// <summary>Null when a login may be tried now, or how long to wait.</summary>
    public TimeSpan? RetryAfter()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            while (_failures.Count > 0 && now - _failures.Peek() >= Window) _failures.Dequeue();
            return _failures.Count >= MaxFailures ? Window - (now - _failures.Peek()) : null;
        }
    }

    public void Failed()
    {
        lock (_lock) _failures.Enqueue(time.GetUtcNow());
    }

    public void Succeeded()
    {
        lock (_lock) _failures.Clear();
    }
}

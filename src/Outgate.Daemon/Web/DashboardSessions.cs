using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Outgate.Daemon.Web;

/// <summary>
/// Logged-in browser sessions, in memory only (a daemon restart logs everyone out, which is fine for an
/// admin page). The cookie holds a random 256-bit id; each session has its own CSRF token that the page
/// sends back in the <c>X-Outgate-CSRF</c> header on every state-changing request.
/// </summary>
public sealed class DashboardSessions(TimeProvider time)
{
    /// <summary>A session unused this long is gone.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(12);

    /// <summary>At most this many sessions; the oldest goes when a new one would exceed it.</summary>
    public const int MaxSessions = 64;

    private readonly ConcurrentDictionary<string, DashboardSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public DashboardSession Create()
    {
        while (_sessions.Count >= MaxSessions)
        {
            var oldest = _sessions.Values.MinBy(s => s.LastSeen);
            if (oldest is null) break;
            _sessions.TryRemove(oldest.Id, out _);
        }
        var now = time.GetUtcNow();
        var session = new DashboardSession(DashboardToken.NewToken(), DashboardToken.NewToken(), now) { LastSeen = now };
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session with this cookie value, or null; touching it extends its idle timeout.</summary>
    public DashboardSession? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session)) return null;
        var now = time.GetUtcNow();
        if (now - session.LastSeen > IdleTimeout)
        {
            _sessions.TryRemove(id, out _);
            return null;
        }
        session.LastSeen = now;
        return session;
    }

    public void End(string id) => _sessions.TryRemove(id, out _);

    /// <summary>Ends every session (the token was rotated).</summary>
    public void EndAll() => _sessions.Clear();
}

/// <summary>One logged-in browser: the cookie's id and the CSRF token the page must echo.</summary>
public sealed record DashboardSession(string Id, string Csrf, DateTimeOffset CreatedAt)
{
    public DateTimeOffset LastSeen { get; set; }

    public bool CsrfMatches(string? header) =>
        header is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(header), Encoding.ASCII.GetBytes(Csrf));
}

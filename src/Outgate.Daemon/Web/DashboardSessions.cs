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

    public DashboardSession Create(DashboardRole role = DashboardRole.Admin)
    {
        while (_sessions.Count >= MaxSessions)
        {
            var oldest = _sessions.Values.MinBy(s => s.LastSeen);
            if (oldest is null) break;
            _sessions.TryRemove(oldest.Id, out _);
        }
        var now = time.GetUtcNow();
        var session = new DashboardSession(DashboardToken.NewToken(), DashboardToken.NewToken(), now, role) { LastSeen = now };
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
            End(id);
            return null;
        }
        session.LastSeen = now;
        return session;
    }

    public void End(string id)
    {
        if (_sessions.TryRemove(id, out var session)) session.Close();
    }

    /// <summary>Ends the sessions of one role (its token was rotated), open event streams included; the other role's sessions stay logged in.</summary>
    public void EndAll(DashboardRole role)
    {
        foreach (var (id, session) in _sessions)
            if (session.Role == role) End(id);
    }
}

/// <summary>One logged-in browser: the cookie's id, the CSRF token the page must echo, and what it may do.</summary>
public sealed record DashboardSession(string Id, string Csrf, DateTimeOffset CreatedAt, DashboardRole Role = DashboardRole.Admin)
{
    private readonly CancellationTokenSource _ended = new();

    public DateTimeOffset LastSeen { get; set; }

    /// <summary>Cancelled when the session ends: requests still running for it (an SSE stream) are aborted then.</summary>
    public CancellationToken Ended => _ended.Token;

    internal void Close()
    {
        try { _ended.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    public bool CsrfMatches(string? header) =>
        header is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(header), Encoding.ASCII.GetBytes(Csrf));
}

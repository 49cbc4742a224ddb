using Outgate.Linux.Conntrack;

namespace Outgate.Linux.Tests.Conntrack;

internal static class ConntrackTestEvents
{
    /// <summary>Receives events until one matches (then a short grace period), or the timeout.</summary>
    public static List<ConntrackEvent> Collect(ConntrackEventListener listener, Func<ConntrackEvent, bool> match, TimeSpan timeout, Func<ConntrackEvent, bool>? until = null)
    {
        var found = new List<ConntrackEvent>();
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        until ??= _ => true;
        while (Environment.TickCount64 < deadline && !found.Any(until))
            listener.Receive(static (in ConntrackEvent e, (List<ConntrackEvent> Found, Func<ConntrackEvent, bool> Match) s) =>
            {
                if (s.Match(e)) s.Found.Add(e);
            }, (found, match));
        return found;
    }
}

using Outgate.Daemon.Events;

namespace Outgate.Daemon.Proposals;

/// <summary>
/// The alerts of severity warning or worse about connections (those naming a program or a destination), looked up by program and destination: a
/// connection is tainted by an alert of the same executable to the same address within the window (an alert without a
/// destination taints the program's every connection in the window; one without a program, every connection to that address).
/// </summary>
public sealed class AlertIndex
{
    private readonly Dictionary<string, List<DaemonEvent>> _byExe = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DaemonEvent>> _byDst = new(StringComparer.Ordinal);
    private readonly TimeSpan _window;

    public AlertIndex(IEnumerable<DaemonEvent> alerts, TimeSpan window)
    {
        _window = window;
        foreach (var alert in alerts)
        {
            // Notices (a program seen for the first time, an interpreter dialling out) inform; they do not make traffic suspicious,
            // or in learn mode every program would be held back for review on its first day.
            if (alert.Severity < EventSeverity.Warning) continue;
            if (alert.Exe is { } exe) Add(_byExe, exe, alert);
            else if (alert.Dst is { } dst) Add(_byDst, dst, alert);
        }
    }

    /// <summary>The alert that taints a connection of <paramref name="exe"/> to <paramref name="dst"/> at <paramref name="time"/>, or null.</summary>
    public DaemonEvent? Find(string? exe, string dst, DateTimeOffset time)
    {
        if (exe is not null && _byExe.TryGetValue(exe, out var forExe))
        {
            foreach (var alert in forExe)
            {
                if ((alert.Dst is null || alert.Dst == dst) && Near(alert.Time, time)) return alert;
            }
        }

        if (_byDst.TryGetValue(dst, out var forDst))
        {
            foreach (var alert in forDst)
            {
                if (Near(alert.Time, time)) return alert;
            }
        }

        return null;
    }

    private bool Near(DateTimeOffset a, DateTimeOffset b) => (a - b).Duration() <= _window;

    private static void Add(Dictionary<string, List<DaemonEvent>> map, string key, DaemonEvent alert)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(alert);
    }
}

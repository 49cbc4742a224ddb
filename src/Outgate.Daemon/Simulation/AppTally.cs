namespace Outgate.Daemon.Simulation;

/// <summary>Per-program counts and the most frequent example connections, kept bounded however many groups arrive.</summary>
internal sealed class AppTally(RecordedConnection first, int examples)
{
    private readonly List<ConnectionExample> _examples = [];

    public string App { get; } = first.App;
    public string? Exe { get; } = first.Exe;
    public string? Unit { get; } = first.Unit;
    public string? Container { get; } = first.Container;
    public long Connections { get; set; }
    public long Hits { get; set; }

    public void AddExample(RecordedConnection c, string decidedBy)
    {
        if (examples == 0) return;
        _examples.Add(Example(c, decidedBy));
        if (_examples.Count > examples + 64) Trim();
    }

    public IReadOnlyList<ConnectionExample> Examples()
    {
        Trim();
        return _examples.ToList();
    }

    public static ConnectionExample Example(RecordedConnection c, string decidedBy) =>
        new(c.Destination, c.Dst, c.Domain, c.DstPort, c.Proto, c.Count, c.FirstSeen, c.LastSeen, decidedBy);

    private void Trim()
    {
        _examples.Sort((a, b) => b.Count != a.Count ? b.Count.CompareTo(a.Count) : b.LastSeen.CompareTo(a.LastSeen));
        if (_examples.Count > examples) _examples.RemoveRange(examples, _examples.Count - examples);
    }

    /// <summary>The tally for <paramref name="c"/>'s program, created on first sight.</summary>
    public static AppTally For(Dictionary<(string?, string?, string?), AppTally> apps, RecordedConnection c, int examples)
    {
        var key = (c.Exe, c.Unit, c.Container);
        if (!apps.TryGetValue(key, out var tally)) apps[key] = tally = new AppTally(c, examples);
        return tally;
    }
}

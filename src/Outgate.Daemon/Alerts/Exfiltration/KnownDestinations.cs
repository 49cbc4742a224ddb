namespace Outgate.Daemon.Alerts.Exfiltration;

/// <summary>
/// When each program first sent bytes to each destination address, since the daemon started. Bounded: past
/// <see cref="MaxPerProgram"/> a program's oldest destination is dropped, past <see cref="MaxPrograms"/> the least
/// recently active program is; a dropped destination counts as new again (the lower bar: an alert too many rather
/// than one too few). Not thread-safe: the flow meter's thread is its only caller.
/// </summary>
public sealed class KnownDestinations(int maxPrograms = KnownDestinations.DefaultMaxPrograms, int maxPerProgram = KnownDestinations.DefaultMaxPerProgram)
{
    public const int DefaultMaxPrograms = 1_024;
    public const int DefaultMaxPerProgram = 4_096;

    private readonly Dictionary<string, Program> _programs = new(StringComparer.Ordinal);

    public int MaxPrograms { get; } = maxPrograms;
    public int MaxPerProgram { get; } = maxPerProgram;

    public int Programs => _programs.Count;

    /// <summary>
    /// The time <paramref name="program"/> first sent to <paramref name="address"/>: the remembered one, or
    /// <paramref name="firstSent"/> now remembered.
    /// </summary>
    public DateTimeOffset FirstSent(string program, string address, DateTimeOffset firstSent, DateTimeOffset now)
    {
        if (!_programs.TryGetValue(program, out var known))
        {
            if (_programs.Count >= MaxPrograms) _programs.Remove(_programs.MinBy(p => p.Value.LastUsed).Key);
            known = new Program();
            _programs.Add(program, known);
        }
        known.LastUsed = now;
        if (known.Destinations.TryGetValue(address, out var remembered)) return remembered;
        if (known.Destinations.Count >= MaxPerProgram) known.Destinations.Remove(known.Destinations.MinBy(d => d.Value).Key);
        known.Destinations.Add(address, firstSent);
        return firstSent;
    }

    private sealed class Program
    {
        public Dictionary<string, DateTimeOffset> Destinations { get; } = new(StringComparer.Ordinal);
        public DateTimeOffset LastUsed { get; set; }
    }
}

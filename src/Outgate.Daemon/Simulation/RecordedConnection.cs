namespace Outgate.Daemon.Simulation;

/// <summary>
/// Identical recorded connections folded into one: same program (exe, uid, user, unit, container), same destination
/// (address, port, protocol, recorded DNS name) and same event type. A candidate policy judges the group once, because
/// every field it can match on is part of the key.
/// </summary>
/// <param name="Alert">True for <c>alert</c> events (suspicious traffic), false for <c>decision</c> events.</param>
/// <param name="Count">How many events the group folds.</param>
/// <param name="Allowed">How many of them the daemon let through when they happened (learn-mode allows included).</param>
public sealed record RecordedConnection(
    string? Exe,
    uint? Uid,
    string? User,
    string? Unit,
    string? Container,
    string? Proto,
    string? Dst,
    int? DstPort,
    string? Domain,
    bool Alert,
    long Count,
    long Allowed,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen)
{
    /// <summary>How the report names the program: its executable, with the unit or container that ran it.</summary>
    public string App
    {
        get
        {
            var name = Exe ?? "unknown program";
            if (Container is { } c) return $"{name} (container {c})";
            if (Unit is { } u) return $"{name} ({u})";
            return name;
        }
    }

    /// <summary>"example.com (93.184.216.34):443/tcp" or "93.184.216.34:443/tcp".</summary>
    public string Destination
    {
        get
        {
            var host = Dst is { } d && d.Contains(':') ? $"[{d}]" : Dst ?? "?";
            if (Domain is { } name) host = $"{name} ({host})";
            return DstPort is > 0 ? $"{host}:{DstPort}/{Proto}" : $"{host} {Proto}";
        }
    }
}

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>One row of events.db's <c>known_apps</c>: an executable that connected out, its last hash, first and last seen.</summary>
public sealed record KnownApp(string Path, string? Sha256, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>What <see cref="KnownApps.Observe"/> learned about a program.</summary>
public enum AppNovelty
{
    Known,
    New,
    HashChanged,
}

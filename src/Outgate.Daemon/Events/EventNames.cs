using System.Diagnostics.CodeAnalysis;

namespace Outgate.Daemon.Events;

/// <summary>Stable names of <see cref="EventType"/> and <see cref="EventSeverity"/> as stored in events.db and used in the API.</summary>
public static class EventNames
{
    public const string TypeNames = "decision, flow-end, mode-change, alert, health, daemon";

    private static readonly string[] Types = ["decision", "flow-end", "mode-change", "alert", "health", "daemon"];
    private static readonly string[] Severities = ["debug", "info", "notice", "warning", "error", "critical"];

    public static string ToName(this EventType type) => Types[(int)type];

    public static string ToName(this EventSeverity severity) => Severities[(int)severity];

    public static bool TryParseType([NotNullWhen(true)] string? text, out EventType type)
    {
        var i = Array.IndexOf(Types, text?.Trim().ToLowerInvariant());
        type = (EventType)Math.Max(i, 0);
        return i >= 0;
    }

    public static bool TryParseSeverity([NotNullWhen(true)] string? text, out EventSeverity severity)
    {
        var i = Array.IndexOf(Severities, text?.Trim().ToLowerInvariant());
        severity = (EventSeverity)Math.Max(i, 0);
        return i >= 0;
    }
}

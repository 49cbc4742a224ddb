using System.Text.Json.Serialization;

namespace Outgate.Daemon.Events;

/// <summary>What an event records. Wire and database names are the lower-case kebab forms.</summary>
public enum EventType
{
    /// <summary>A verdict on a new connection (learn, rule, prompt answer, default).</summary>
    [JsonStringEnumMemberName("decision")] Decision,

    /// <summary>A connection ended (conntrack destroy), with byte counters.</summary>
    [JsonStringEnumMemberName("flow-end")] FlowEnd,

    /// <summary>The mode was switched (<c>outgate mode</c>).</summary>
    [JsonStringEnumMemberName("mode-change")] ModeChange,

    /// <summary>A detector fired (connect-back shell, exfiltration, tampering, ...).</summary>
    [JsonStringEnumMemberName("alert")] Alert,

    /// <summary>Something about the daemon's own health (overload, kernel path changes).</summary>
    [JsonStringEnumMemberName("health")] Health,

    /// <summary>The daemon started or stopped.</summary>
    [JsonStringEnumMemberName("daemon")] Daemon,
}

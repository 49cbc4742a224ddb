using System.Text.Json.Serialization;

namespace Outgate.Daemon.Options;

/// <summary>How the daemon treats connections no rule decides (DESIGN.md, "Modes").</summary>
public enum DaemonMode
{
    /// <summary>Allow everything, record it, propose rules.</summary>
    [JsonStringEnumMemberName("learn")] Learn,

    /// <summary>Ask the user (CLI, dashboard, desktop notification); a timeout applies the default.</summary>
    [JsonStringEnumMemberName("interactive")] Interactive,

    /// <summary>Unknown connections get the policy's default action.</summary>
    [JsonStringEnumMemberName("enforce")] Enforce,

    /// <summary>Panic switch: only loopback and explicitly pinned rules pass.</summary>
    [JsonStringEnumMemberName("lockdown")] Lockdown,
}

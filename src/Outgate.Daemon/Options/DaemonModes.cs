using System.Diagnostics.CodeAnalysis;

namespace Outgate.Daemon.Options;

/// <summary>The wire and command-line names of <see cref="DaemonMode"/> ("learn", "interactive", ...).</summary>
public static class DaemonModes
{
    /// <summary>All names, in the order they are listed in errors and help.</summary>
    public const string Names = "learn, interactive, enforce, lockdown";

    public static string ToName(this DaemonMode mode) => mode switch
    {
        DaemonMode.Learn => "learn",
        DaemonMode.Interactive => "interactive",
        DaemonMode.Enforce => "enforce",
        DaemonMode.Lockdown => "lockdown",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Parses a mode name, case-insensitively and without surrounding blanks.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DaemonMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "learn": mode = DaemonMode.Learn; return true;
            case "interactive": mode = DaemonMode.Interactive; return true;
            case "enforce": mode = DaemonMode.Enforce; return true;
            case "lockdown": mode = DaemonMode.Lockdown; return true;
            default: mode = default; return false;
        }
    }
}

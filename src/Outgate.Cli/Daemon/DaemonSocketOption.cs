using System.CommandLine;

namespace Outgate.Cli.Daemon;

/// <summary><c>--socket</c> for commands that talk to outgated.</summary>
public static class DaemonSocketOption
{
    public const string DefaultPath = "/run/outgate/outgate.sock";

    /// <summary>A new option instance (System.CommandLine options belong to one command each).</summary>
    public static Option<string> Create() => new("--socket")
    {
        Description = $"outgated's API socket (default {DefaultPath}, or $OUTGATE_SOCKET)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OUTGATE_SOCKET") is { Length: > 0 } s ? s : DefaultPath,
    };
}

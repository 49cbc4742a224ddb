using System.CommandLine;

namespace Outgate.Cli;

/// <summary>Options every command accepts; environment variables give their defaults.</summary>
public static class GlobalOptions
{
    public static readonly Option<string> ConfigDir = new("--config-dir")
    {
        Description = "Policy directory (default /etc/outgate, or $OUTGATE_CONFIG_DIR)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OUTGATE_CONFIG_DIR") is { Length: > 0 } d ? d : "/etc/outgate",
    };

    public static readonly Option<string> StateDir = new("--state-dir")
    {
        Description = "Runtime state directory (default /var/lib/outgate, or $OUTGATE_STATE_DIR)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OUTGATE_STATE_DIR") is { Length: > 0 } d ? d : "/var/lib/outgate",
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(ConfigDir);
        root.Options.Add(StateDir);
    }
}

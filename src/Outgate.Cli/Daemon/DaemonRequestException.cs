namespace Outgate.Cli.Daemon;

/// <summary>The daemon answered with an error (a bad mode, a bad filter); message and hint come from it. Exit code 1.</summary>
public sealed class DaemonRequestException(int status, string message, string? hint) : Exception(message)
{
    public int Status { get; } = status;

    public string? Hint { get; } = hint;
}

namespace Outgate.Cli.Firewall;

/// <summary>A firewall command cannot go on; <see cref="ExitCode"/> and the message are what the user sees.</summary>
public sealed class FirewallException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

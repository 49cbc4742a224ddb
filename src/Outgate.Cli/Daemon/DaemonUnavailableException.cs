namespace Outgate.Cli.Daemon;

/// <summary>The daemon cannot be reached or refuses this user; the message says what to do. Exit code 2.</summary>
public sealed class DaemonUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

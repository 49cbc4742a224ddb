namespace Outgate.Daemon.Hosting;

/// <summary>The daemon cannot start; the message says why and what to do. Exit code 3.</summary>
public sealed class DaemonStartupException(string message, Exception? inner = null) : Exception(message, inner);

namespace Outgate.Cli.Connections;

/// <summary>The kernel cannot list sockets at all (no sock_diag): nothing useful can be shown.</summary>
public sealed class ConnectionsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

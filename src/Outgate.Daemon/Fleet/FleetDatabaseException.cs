namespace Outgate.Daemon.Fleet;

/// <summary>The fleet database cannot be used as configured (schema too new, bad connection string, refused fleet.conf).</summary>
public sealed class FleetDatabaseException(string message, Exception? inner = null) : Exception(message, inner);

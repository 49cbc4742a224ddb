namespace Outgate.Daemon.Events;

/// <summary>events.db cannot be opened or migrated; the message says what to do.</summary>
public sealed class EventStoreException(string message, Exception? inner = null) : Exception(message, inner);

namespace Outgate.Cli.Fleet;

/// <summary>The daemon answered but has no fleet database, or the database failed (503/502).</summary>
public sealed class FleetUnavailableException(string message, string? hint) : Exception(message)
{
    public string? Hint { get; } = hint;
}

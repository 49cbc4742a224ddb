namespace Outgate.Cli.Connections;

/// <summary>
/// One reading of the socket table. <see cref="Complete"/> is false when some sockets' owners could
/// not be inspected (not root), and <see cref="Warnings"/> says so in words.
/// </summary>
public sealed record ConnectionSnapshot(IReadOnlyList<ConnectionRow> Rows, bool Complete, IReadOnlyList<string> Warnings);

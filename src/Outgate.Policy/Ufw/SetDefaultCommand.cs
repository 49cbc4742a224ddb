namespace Outgate.Policy;

/// <summary><c>default allow|deny|reject [incoming|outgoing|routed]</c>.</summary>
public sealed record SetDefaultCommand(Direction Direction, DefaultPolicy Policy) : UfwCommand;

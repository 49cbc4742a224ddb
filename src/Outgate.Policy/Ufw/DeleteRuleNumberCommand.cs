namespace Outgate.Policy;

/// <summary><c>delete N</c>: delete rule number <see cref="Position"/> (1-based, as in <c>status numbered</c>).</summary>
public sealed record DeleteRuleNumberCommand(int Position) : UfwCommand;

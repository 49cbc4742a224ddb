namespace Outgate.Policy;

/// <summary><c>insert N &lt;rule&gt;</c>: insert before rule number <see cref="Position"/> (1-based).</summary>
public sealed record InsertRuleCommand(int Position, Rule Rule) : UfwCommand;

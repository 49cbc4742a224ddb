namespace Outgate.Policy;

/// <summary><c>delete &lt;rule&gt;</c>: delete the first rule equal to <see cref="Rule"/> (comment ignored, like ufw).</summary>
public sealed record DeleteRuleCommand(Rule Rule) : UfwCommand;

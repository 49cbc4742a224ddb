namespace Outgate.Policy;

/// <summary><c>allow|deny|reject|limit ...</c>: append a rule (skipped when an equal rule exists, like ufw).</summary>
public sealed record AddRuleCommand(Rule Rule) : UfwCommand;

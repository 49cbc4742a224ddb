namespace Outgate.Policy.Import;

/// <summary>A translated rule and the input item it came from.</summary>
public sealed record ImportedRule(Rule Rule, string Source, int Line);

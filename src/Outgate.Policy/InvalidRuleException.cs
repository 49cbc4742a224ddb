namespace Outgate.Policy;

/// <summary>Thrown when code (not user input) hands the policy engine a rule that does not validate.</summary>
public sealed class InvalidRuleException : Exception
{
    /// <summary>Creates the exception listing every problem.</summary>
    public InvalidRuleException(Rule rule, IReadOnlyList<string> problems)
        : base($"Invalid rule '{Quote.Escape(rule.ToUfwString())}': {string.Join("; ", problems)}")
    {
        Rule = rule;
        Problems = problems;
    }

    /// <summary>The rule.</summary>
    public Rule Rule { get; }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }
}

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

    /// <summary>Creates the exception for a value that is not part of a rule yet (a domain pattern, a list file).</summary>
    public InvalidRuleException(string what, IReadOnlyList<string> problems)
        : base($"{what}: {string.Join("; ", problems)}")
    {
        Problems = problems;
    }

    /// <summary>The rule; null when the bad value was checked on its own (<see cref="DomainPattern.Parse"/>).</summary>
    public Rule? Rule { get; }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }
}

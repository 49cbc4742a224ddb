namespace Outgate.Policy;

/// <summary>
/// The matcher's answer for the first packet of a new connection. <see cref="RuleNumber"/> is the 1-based number of the
/// matching rule (as in <c>status numbered</c>) or 0. For a <c>limit</c> rule the verdict is accept (the per-source rate is
/// not modelled) and <see cref="RateLimited"/> is true.
/// </summary>
public readonly record struct Decision(Verdict Verdict, DecisionReason Reason, int RuleNumber, bool RateLimited = false);

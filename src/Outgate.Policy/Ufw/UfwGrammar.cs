namespace Outgate.Policy;

/// <summary>
/// ufw's command grammar over already split tokens (what the shell passed after <c>outgate</c>), case-insensitive keywords.
/// Collects every error it can find; each quotes the token and carries a hint.
/// </summary>
public static partial class UfwGrammar
{
    /// <summary>
    /// Parses a policy-changing command. <paramref name="tokens"/>[0] is the verb: <c>allow</c>, <c>deny</c>, <c>reject</c>,
    /// <c>limit</c>, <c>route</c>, <c>insert</c>, <c>delete</c>, <c>default</c> or <c>logging</c>.
    /// </summary>
    public static UfwParseResult<UfwCommand> ParseCommand(IReadOnlyList<string> tokens) => UfwCommandParser.Parse(tokens);

    /// <summary>
    /// Parses a rule: <paramref name="tokens"/>[0] is <c>allow|deny|reject|limit</c> (or <c>route</c> followed by one of them),
    /// then ufw's short form (<c>22</c>, <c>443/tcp</c>) or full form
    /// <c>[in|out] [on IFACE] [log|log-all] [proto P] [from ADDR [port P]] [to ADDR [port P]] [proto P] [comment TEXT]</c>.
    /// </summary>
    public static UfwParseResult<Rule> ParseRule(IReadOnlyList<string> tokens) => UfwRuleParser.Parse(tokens, 0);
}

namespace Outgate.Policy.Import;

/// <summary>
/// The pieces of one ufw rule as the import sources spell them (a user.rules tuple or a <c>ufw status</c> line). They are turned
/// back into a ufw command and parsed by <see cref="UfwGrammar"/>, so an imported rule means exactly what typing the command means.
/// </summary>
internal sealed record UfwRuleParts
{
    public bool Route { get; init; }
    public required string Action { get; init; }
    public string? Log { get; init; }
    public string Direction { get; init; } = "in";
    public string? Interface { get; init; }
    public string? OutInterface { get; init; }
    public string? Proto { get; init; }
    public string? From { get; init; }
    public string? FromPort { get; init; }
    public string? To { get; init; }
    public string? ToPort { get; init; }
    public string? Comment { get; init; }

    public IReadOnlyList<string> ToTokens()
    {
        var tokens = new List<string>();
        if (Route)
        {
            tokens.Add("route");
        }

        tokens.Add(Action);
        tokens.Add(Direction);
        if (Interface is not null)
        {
            tokens.Add("on");
            tokens.Add(Interface);
        }

        if (Log is not null)
        {
            tokens.Add(Log);
        }

        if (Proto is not null)
        {
            tokens.Add("proto");
            tokens.Add(Proto);
        }

        tokens.Add("from");
        tokens.Add(From ?? "any");
        if (FromPort is not null)
        {
            tokens.Add("port");
            tokens.Add(FromPort);
        }

        tokens.Add("to");
        tokens.Add(To ?? "any");
        if (ToPort is not null)
        {
            tokens.Add("port");
            tokens.Add(ToPort);
        }

        if (Comment is not null)
        {
            tokens.Add("comment");
            tokens.Add(Comment);
        }

        return tokens;
    }

    /// <summary>Parses the command; returns the rule or the reason it cannot be one (the grammar's messages joined).</summary>
    public (Rule? Rule, string? Error) Translate()
    {
        if (Route && OutInterface is not null && Interface is not null)
        {
            return (null, $"routed rules with both an input ('{Quote.Escape(Interface)}') and an output interface ('{Quote.Escape(OutInterface)}') are not supported yet; add it by hand as 'route {Action} in on {Quote.Escape(Interface)} ...'");
        }

        if (Route && OutInterface is not null)
        {
            return (null, $"routed rules matched by output interface ('out on {Quote.Escape(OutInterface)}') are not supported yet; match by input interface instead");
        }

        var parsed = UfwGrammar.ParseRule(ToTokens());
        if (parsed.Succeeded)
        {
            return (parsed.Value, null);
        }

        return (null, string.Join("; ", parsed.Errors.Select(e => e.Hint is null ? e.Message : $"{e.Message} ({e.Hint})")));
    }

    /// <summary>
    /// Rule comments may not hold control characters or quotes (they become nft comments): those are replaced by a space and
    /// an apostrophe-like mark. Returns null for an empty comment.
    /// </summary>
    public static string? CleanComment(string? comment, out bool changed)
    {
        changed = false;
        if (string.IsNullOrWhiteSpace(comment))
        {
            return null;
        }

        var builder = new StringBuilder(comment.Length);
        foreach (var c in comment)
        {
            var replacement = c switch
            {
                '\'' or '"' => '`',
                _ when char.IsControl(c) => ' ',
                _ => c,
            };
            changed |= replacement != c;
            builder.Append(replacement);
        }

        var text = builder.ToString().Trim();
        while (Encoding.UTF8.GetByteCount(text) > RuleValidator.MaxCommentBytes)
        {
            text = text[..^(char.IsLowSurrogate(text[^1]) && text.Length > 1 ? 2 : 1)];
            changed = true;
        }

        return text.Length == 0 ? null : text;
    }
}

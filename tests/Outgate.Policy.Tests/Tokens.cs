namespace Outgate.Policy.Tests;

/// <summary>Splits a command line like a shell would for our tests: spaces separate, single quotes group.</summary>
internal static class Tokens
{
    public static string[] Split(string line)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in line)
        {
            if (c == '\'')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            tokens.Add(current.ToString());
        }

        return tokens.ToArray();
    }

    public static Rule Rule(string line)
    {
        var result = UfwGrammar.ParseRule(Split(line));
        Assert.True(result.Succeeded, $"'{line}': {string.Join("; ", result.Errors)}");
        return result.Value!;
    }

    public static UfwError Error(string line)
    {
        var result = UfwGrammar.ParseCommand(Split(line));
        Assert.False(result.Succeeded, $"'{line}' parsed but should not");
        return result.Errors[0];
    }
}

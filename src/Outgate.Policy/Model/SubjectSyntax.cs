namespace Outgate.Policy;

/// <summary>
/// The words and values of rule subjects, shared by the ufw grammar, the TOML reader/writer and the validator:
/// <c>app PATH|NAME</c>, <c>hash SHA256</c>, <c>cmdline PATTERN</c>, <c>parent PATH|NAME</c>, <c>user NAME|UID</c>,
/// <c>group NAME|GID</c>, <c>unit NAME</c>, <c>cgroup PATH</c>, <c>container NAME|ID</c>.
/// </summary>
internal static class SubjectSyntax
{
    /// <summary>The ufw keywords in the order the formatter writes them.</summary>
    public static readonly string[] Keywords = ["app", "hash", "cmdline", "parent", "user", "group", "unit", "cgroup", "container"];

    /// <summary>Longest accepted value; command lines can be long, nothing else comes close.</summary>
    public const int MaxValueLength = 4096;

    public static bool TryParseKeyword(string token, out SubjectField field)
    {
        SubjectField? parsed = token.ToLowerInvariant() switch
        {
            "app" => SubjectField.App,
            "hash" or "sha256" => SubjectField.Sha256,
            "cmdline" => SubjectField.CommandLine,
            "parent" => SubjectField.Parent,
            "user" => SubjectField.User,
            "group" => SubjectField.Group,
            "unit" => SubjectField.Unit,
            "cgroup" => SubjectField.Cgroup,
            "container" => SubjectField.Container,
            _ => null,
        };
        field = parsed ?? default;
        return parsed is not null;
    }

    /// <summary>The ufw keyword of <paramref name="field"/>.</summary>
    public static string Keyword(SubjectField field) => field switch
    {
        SubjectField.App => "app",
        SubjectField.Sha256 => "hash",
        SubjectField.CommandLine => "cmdline",
        SubjectField.Parent => "parent",
        SubjectField.User => "user",
        SubjectField.Group => "group",
        SubjectField.Unit => "unit",
        SubjectField.Cgroup => "cgroup",
        SubjectField.Container => "container",
        _ => PolicyThrow.Unreachable<string>(field),
    };

    /// <summary>Human name used in precedence explanations ("app path" vs "app name").</summary>
    public static string PrecedenceName(SubjectField field, RuleSubject subject) => field switch
    {
        SubjectField.Sha256 => "hash pin",
        SubjectField.App => subject.App!.StartsWith('/') ? "app path" : "app name",
        _ => Keyword(field),
    };

    public static string? Get(RuleSubject subject, SubjectField field) => field switch
    {
        SubjectField.App => subject.App,
        SubjectField.Sha256 => subject.Sha256,
        SubjectField.CommandLine => subject.CommandLine,
        SubjectField.Parent => subject.Parent,
        SubjectField.User => subject.User,
        SubjectField.Group => subject.Group,
        SubjectField.Unit => subject.Unit,
        SubjectField.Cgroup => subject.Cgroup,
        SubjectField.Container => subject.Container,
        _ => PolicyThrow.Unreachable<string>(field),
    };

    public static RuleSubject With(RuleSubject subject, SubjectField field, string value) => field switch
    {
        SubjectField.App => subject with { App = value },
        SubjectField.Sha256 => subject with { Sha256 = value.ToLowerInvariant() },
        SubjectField.CommandLine => subject with { CommandLine = value },
        SubjectField.Parent => subject with { Parent = value },
        SubjectField.User => subject with { User = value },
        SubjectField.Group => subject with { Group = value },
        SubjectField.Unit => subject with { Unit = value },
        SubjectField.Cgroup => subject with { Cgroup = value },
        SubjectField.Container => subject with { Container = value },
        _ => PolicyThrow.Unreachable<RuleSubject>(field),
    };

    private static readonly SubjectField[] FormatOrder =
    [
        SubjectField.App, SubjectField.Sha256, SubjectField.CommandLine, SubjectField.Parent, SubjectField.User,
        SubjectField.Group, SubjectField.Unit, SubjectField.Cgroup, SubjectField.Container,
    ];

    /// <summary>The set fields as (keyword, value), in the formatter's order.</summary>
    public static IEnumerable<(SubjectField Field, string Value)> Fields(RuleSubject subject)
    {
        foreach (var field in FormatOrder)
        {
            if (Get(subject, field) is { } value)
            {
                yield return (field, value);
            }
        }
    }

    /// <summary>The subject as ufw words, e.g. <c>app /usr/bin/curl user alice</c>.</summary>
    public static string Describe(RuleSubject subject)
        => string.Join(' ', Fields(subject).Select(f => $"{Keyword(f.Field)} {(f.Value.Any(char.IsWhiteSpace) ? $"'{f.Value}'" : f.Value)}"));

    /// <summary>Why <paramref name="value"/> is not a usable value for <paramref name="field"/> (message and hint), or null.</summary>
    public static (string Message, string Hint)? Problem(SubjectField field, string value)
    {
        var keyword = Keyword(field);
        if (value.Length == 0)
        {
            return ($"Empty '{keyword}' value", ExampleFor(field));
        }

        if (value.Any(char.IsControl))
        {
            return ($"Bad {keyword} '{Quote.Escape(value)}': control characters are not allowed", ExampleFor(field));
        }

        if (value.Length > MaxValueLength)
        {
            return ($"Bad {keyword} value: longer than {MaxValueLength} characters", ExampleFor(field));
        }

        return field switch
        {
            SubjectField.App or SubjectField.Parent => ExecutableProblem(keyword, value),
            SubjectField.Sha256 => HashProblem(value),
            SubjectField.User or SubjectField.Group => AccountProblem(keyword, value),
            SubjectField.Unit => UnitProblem(value),
            SubjectField.Cgroup => CgroupProblem(value),
            SubjectField.Container => ContainerProblem(value),
            _ => null,
        };
    }

    /// <summary>True when <paramref name="text"/> is all hex digits.</summary>
    public static bool IsHex(string text) => text.Length > 0 && text.All(char.IsAsciiHexDigit);

    private static (string, string)? ExecutableProblem(string keyword, string value)
    {
        // A bare name with a space is almost always a command line typed as a program; absolute paths may hold spaces.
        if (!value.StartsWith('/') && value.Any(char.IsWhiteSpace))
        {
            return ($"Bad {keyword} '{Quote.Escape(value)}': contains whitespace", $"give only the program, e.g. '{keyword} /usr/bin/curl'; match arguments with 'cmdline PATTERN'");
        }

        if (!value.StartsWith('/'))
        {
            return value.Contains('/', StringComparison.Ordinal)
                ? ($"Bad {keyword} '{Quote.Escape(value)}': a relative path", $"give the absolute path (e.g. '/usr/bin/{Quote.Escape(value.Split('/')[^1])}') or the bare program name ('{Quote.Escape(value.Split('/')[^1])}')")
                : null;
        }

        if (value.EndsWith('/') || value.Split('/').Any(s => s is "." or ".."))
        {
            return ($"Bad {keyword} '{Quote.Escape(value)}': not a plain path to a file", "write the path without '.', '..' or a trailing '/', e.g. /usr/bin/curl");
        }

        return null;
    }

    private static (string, string)? HashProblem(string value)
        => value.Length == 64 && IsHex(value)
            ? null
            : ($"Bad hash '{Quote.Escape(value)}': a SHA-256 is 64 hex digits, this has {value.Length} characters{(IsHex(value) ? "" : " and non-hex ones")}",
                "get it with 'sha256sum /usr/bin/curl'");

    private static (string, string)? AccountProblem(string keyword, string value)
    {
        if (value.All(char.IsAsciiDigit))
        {
            return uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? null
                : ($"Bad {keyword} '{value}': ids are 0-4294967295", $"give a {keyword} name or a numeric id");
        }

        // useradd's rules, loosened the way Debian does (upper case, dots), but no separators /etc/passwd cannot hold.
        return value.Length > 32 || value[0] == '-' || value.Any(c => c is ':' or '/' or ',' or '\'' or '"' || char.IsWhiteSpace(c))
            ? ($"Bad {keyword} name '{Quote.Escape(value)}'", $"{keyword} names are at most 32 characters without ':', '/', ',', quotes or spaces; or give the numeric id")
            : null;
    }

    private static (string, string)? UnitProblem(string value)
    {
        // systemd unit names: [A-Za-z0-9:_.\-@], with '\' escapes (systemd-escape), at most 255 characters.
        return value.Length > 255 || value[0] is '.' or '-' || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is ':' or '_' or '.' or '-' or '@' or '\\'))
            ? ($"Bad unit name '{Quote.Escape(value)}'", "give a systemd unit such as 'systemd-timesyncd.service' (a name without a dot means .service); see 'systemctl list-units'")
            : null;
    }

    private static (string, string)? CgroupProblem(string value)
        => !value.StartsWith('/') || value.Any(char.IsWhiteSpace) || value.Split('/').Any(s => s is "." or "..")
            ? ($"Bad cgroup '{Quote.Escape(value)}': not an absolute cgroup path", "e.g. /system.slice/nginx.service (see /proc/PID/cgroup)")
            : null;

    private static (string, string)? ContainerProblem(string value)
        => !char.IsAsciiLetterOrDigit(value[0]) || value.Length > 128 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            ? ($"Bad container '{Quote.Escape(value)}'", "give the container's name (letters, digits, '_', '.', '-') or at least 12 hex digits of its id")
            : null;

    private static string ExampleFor(SubjectField field) => field switch
    {
        SubjectField.App => "e.g. 'app /usr/bin/curl' or 'app curl'",
        SubjectField.Sha256 => "e.g. 'hash <64 hex digits>' from 'sha256sum /usr/bin/curl'",
        SubjectField.CommandLine => "e.g. cmdline 'python3 -m http.server*' (* and ? are wildcards)",
        SubjectField.Parent => "e.g. 'parent /usr/bin/bash' or 'parent bash'",
        SubjectField.User => "e.g. 'user _apt' or 'user 1000'",
        SubjectField.Group => "e.g. 'group staff' or 'group 50'",
        SubjectField.Unit => "e.g. 'unit systemd-timesyncd.service'",
        SubjectField.Cgroup => "e.g. 'cgroup /system.slice/nginx.service'",
        SubjectField.Container => "e.g. 'container web' or 'container 3f4e5a6b7c8d'",
        _ => PolicyThrow.Unreachable<string>(field),
    };
}

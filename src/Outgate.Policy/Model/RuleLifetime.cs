namespace Outgate.Policy;

/// <summary>How long a rule or a prompt answer lasts.</summary>
public enum RuleLifetimeKind
{
    /// <summary>This one connection only (prompt answers; never written as a rule).</summary>
    Once,
    /// <summary>For <see cref="RuleLifetime.Duration"/> from now (<c>--for 30m</c>, <c>1h</c>, <c>2d</c>).</summary>
    For,
    /// <summary>Until the machine reboots (<c>until-reboot</c>).</summary>
    UntilReboot,
    /// <summary>Until deleted (<c>always</c>, the default).</summary>
    Always,
}

/// <summary>A parsed <c>--for</c> value: <c>once</c>, <c>N</c>s/m/h/d (e.g. <c>30m</c>, <c>1h</c>), <c>until-reboot</c> or <c>always</c>.</summary>
public readonly record struct RuleLifetime(RuleLifetimeKind Kind, TimeSpan Duration)
{
    public static RuleLifetime Always => new(RuleLifetimeKind.Always, TimeSpan.Zero);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and what to write instead.</summary>
    public static bool TryParse(string? text, out RuleLifetime lifetime, out string error)
    {
        lifetime = Always;
        error = "";
        var t = text?.Trim().ToLowerInvariant() ?? "";
        switch (t)
        {
            case "once": lifetime = new(RuleLifetimeKind.Once, TimeSpan.Zero); return true;
            case "always" or "forever": return true;
            case "until-reboot" or "reboot" or "boot": lifetime = new(RuleLifetimeKind.UntilReboot, TimeSpan.Zero); return true;
        }
        if (t.Length >= 2 && long.TryParse(t.AsSpan(0, t.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            TimeSpan? d = t[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            if (d is { } duration && duration <= TimeSpan.FromDays(3650))
            {
                lifetime = new(RuleLifetimeKind.For, duration);
                return true;
            }
        }
        error = $"'{text}' is not a duration: write once, a number with s, m, h or d (30m, 1h, 7d, at most 3650d), until-reboot or always";
        return false;
    }

    /// <summary>The expiry for a rule created at <paramref name="now"/> (null unless <see cref="RuleLifetimeKind.For"/>).</summary>
    public DateTimeOffset? ExpiresFrom(DateTimeOffset now) => Kind == RuleLifetimeKind.For ? now + Duration : null;

    public override string ToString() => Kind switch
    {
        RuleLifetimeKind.Once => "once",
        RuleLifetimeKind.UntilReboot => "until-reboot",
        RuleLifetimeKind.Always => "always",
        _ => Duration.TotalDays >= 1 && Duration.TotalDays == Math.Floor(Duration.TotalDays) ? $"{Duration.TotalDays}d"
            : Duration.TotalHours >= 1 && Duration.TotalHours == Math.Floor(Duration.TotalHours) ? $"{Duration.TotalHours}h"
            : Duration.TotalMinutes >= 1 && Duration.TotalMinutes == Math.Floor(Duration.TotalMinutes) ? $"{Duration.TotalMinutes}m"
            : $"{(long)Duration.TotalSeconds}s",
    };
}

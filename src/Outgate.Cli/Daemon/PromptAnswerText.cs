using Outgate.Cli.Connections;

namespace Outgate.Cli.Daemon;

/// <summary>
/// The one line <c>outgate answer</c> prints:
/// <c>Allowed /usr/bin/curl to 10.0.0.2 port 443/tcp for 1h (rule: allow out app ...); 3 waiting connections released.</c>
/// <paramref name="prompt"/> is null when the prompt was no longer listed; the line then names it by id.
/// </summary>
public static class PromptAnswerText
{
    public static string Format(PromptAnswerResult result, PendingPrompt? prompt)
    {
        var allowed = result.Verdict.Equals("allow", StringComparison.OrdinalIgnoreCase);
        var what = prompt is null ? $"prompt {result.Id}" : $"{PromptTableWriter.Program(prompt)} to {Target(prompt)}";
        var lasting = result.Duration?.ToLowerInvariant() switch
        {
            null or "" or "once" => "once",
            "always" => "always",
            "until-reboot" => "until reboot",
            var d => "for " + Printable.Escape(d),
        };
        var rule = result.Rule is { Length: > 0 } r ? $" (rule: {Printable.Escape(r)})" : "";
        var released = $"{DaemonText.Count(result.Released, "waiting connection")} {(allowed ? "released" : "denied")}";
        return $"{(allowed ? "Allowed" : "Denied")} {what} {lasting}{rule}; {released}.";
    }

    /// <summary><c>10.0.0.2 port 443/tcp</c>, or <c>example.com (10.0.0.2) port 443/tcp</c>.</summary>
    private static string Target(PendingPrompt p)
    {
        var host = Printable.Escape(p.Dst) is { Length: > 0 } d ? d : "?";
        if (p.Domain is { Length: > 0 } name) host = $"{Printable.Escape(name)} ({host})";
        var port = p.DstPort is { } n ? $" port {n}" : "";
        return p.Proto is { Length: > 0 } proto ? $"{host}{port}/{Printable.Escape(proto)}" : host + port;
    }
}

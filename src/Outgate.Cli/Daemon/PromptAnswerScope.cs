namespace Outgate.Cli.Daemon;

/// <summary>
/// What the rule written for a prompt answer covers: <c>app</c> (the program, any destination),
/// <c>app+host</c> (the program to this host, the default) or <c>app+port</c> (the program to this
/// host and port). The default pins the host because an allowed program sending data to a host the
/// admin never saw is exactly what the prompt exists to stop.
/// </summary>
public static class PromptAnswerScope
{
    public const string Default = "app+host";
    public const string Names = "app, app+host, app+port";

    public static bool TryParse(string? text, out string scope)
    {
        scope = text?.Trim().ToLowerInvariant() ?? "";
        return scope is "app" or "app+host" or "app+port";
    }
}

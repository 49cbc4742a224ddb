using System.CommandLine;
using System.Globalization;
using Outgate.Policy;

namespace Outgate.Cli.Daemon;

/// <summary>
/// <c>outgate answer ID allow|deny [--for DURATION] [--scope app|app+host|app+port]</c>: answers a
/// pending prompt. Defaults: <c>--for once</c> (nothing is remembered unless asked for) and
/// <c>--scope app+host</c>. Everything is checked before the daemon is called, so a typo never
/// reaches it. Exit codes: <see cref="DaemonExitCodes"/>; an unknown, answered or expired prompt is 1.
/// </summary>
public static class AnswerCommand
{
    public const string DefaultDuration = "once";

    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The prompt's ID, as `outgate prompts` shows it" };
        var verdict = new Argument<string>("verdict") { Description = "allow or deny", HelpName = "allow|deny" };
        var lifetime = new Option<string>("--for")
        {
            Description = "How long the answer lasts: once (only the held connections, no rule; the default), 30m, 1h, 7d, until-reboot or always",
            HelpName = "DURATION",
            DefaultValueFactory = _ => DefaultDuration,
        };
        var scope = new Option<string>("--scope")
        {
            Description = "What a remembered answer covers: app (the program, any destination), app+host (the program to this host; the default) or app+port (the program to this host and port)",
            HelpName = "app|app+host|app+port",
            DefaultValueFactory = _ => PromptAnswerScope.Default,
        };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("answer", "Answer a pending prompt: allow or deny the held connections, once or with a rule for --for");
        cmd.Arguments.Add(id);
        cmd.Arguments.Add(verdict);
        foreach (var o in new Option[] { lifetime, scope, socket }) cmd.Options.Add(o);
        cmd.SetAction((parse, ct) =>
        {
            var errors = new List<string>();
            var idText = parse.GetValue(id)!;
            if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var promptId) || promptId <= 0)
                errors.Add($"bad prompt ID '{Connections.Printable.Escape(idText)}': give the number from the ID column of `outgate prompts`");
            var verdictText = parse.GetValue(verdict)!.Trim().ToLowerInvariant();
            if (verdictText is not ("allow" or "deny"))
                errors.Add($"bad verdict '{Connections.Printable.Escape(verdictText)}': write allow or deny");
            if (!RuleLifetime.TryParse(parse.GetValue(lifetime), out var duration, out var durationError))
                errors.Add("--for " + durationError);
            if (!PromptAnswerScope.TryParse(parse.GetValue(scope), out var scopeText))
                errors.Add($"bad --scope '{Connections.Printable.Escape(parse.GetValue(scope))}': use one of {PromptAnswerScope.Names}");
            if (errors.Count > 0)
                return Task.FromResult(DaemonCommandRunner.Usage(parse, "answer", errors));

            return DaemonCommandRunner.RunAsync(parse, "answer", socket, async (client, output, ct) =>
            {
                // Only for the message: the daemon's answer names the rule but not the program and destination.
                var prompt = (await client.GetPromptsAsync(ct)).Prompts.FirstOrDefault(p => p.Id == promptId);
                PromptAnswerResult result;
                try
                {
                    result = await client.AnswerPromptAsync(promptId, new PromptAnswerRequest(verdictText, duration.ToString(), scopeText), ct);
                }
                catch (DaemonRequestException ex) when (ex.Status == 404)
                {
                    throw new DaemonRequestException(404, $"no pending prompt {promptId}: it was already answered, or it expired and got its default verdict", "see `outgate prompts` for the ones still waiting");
                }
                await output.WriteLineAsync(PromptAnswerText.Format(result, prompt));
                return DaemonExitCodes.Ok;
            }, ct);
        });
        return cmd;
    }
}

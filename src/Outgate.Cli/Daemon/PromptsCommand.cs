using System.CommandLine;
using System.Text.Json;

namespace Outgate.Cli.Daemon;

/// <summary>
/// <c>outgate prompts [--json] [--socket PATH]</c>: the connections held in interactive mode until
/// someone answers them with <c>outgate answer</c>. Exit codes: <see cref="DaemonExitCodes"/>.
/// </summary>
public static class PromptsCommand
{
    public const string NoneText = "No pending prompts.";

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = """The daemon's list as JSON: {"prompts":[{"id", "createdAt", "expiresAt", "pid", "exe", "user", "dst", "dstPort", "proto", "waiting", ...}]}""" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("prompts", "List connections waiting for an answer (interactive mode); answer them with `outgate answer ID allow|deny`");
        cmd.Options.Add(json);
        cmd.Options.Add(socket);
        cmd.SetAction((parse, ct) => DaemonCommandRunner.RunAsync(parse, "prompts", socket, async (client, output, ct) =>
        {
            var list = await client.GetPromptsAsync(ct);
            if (parse.GetValue(json))
                await output.WriteLineAsync(JsonSerializer.Serialize(list, CliDaemonJsonContext.Default.PromptList));
            else if (list.Prompts.Count == 0)
                await output.WriteLineAsync(NoneText);
            else
                await output.WriteAsync(PromptTableWriter.Render(list.Prompts, DateTimeOffset.UtcNow));
            return DaemonExitCodes.Ok;
        }, ct));
        return cmd;
    }
}

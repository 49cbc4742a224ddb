using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Decisions;

/// <summary>Interactive mode: a connection waits while the user answers through the CLI.</summary>
public sealed class PromptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_prompt_answered_allow_by_the_cli_lets_the_waiting_connection_through()
    {
        await using var lab = await DecisionLab.CreateAsync("prompt");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "interactive", "--prompt-timeout", "20s");

        var connecting = lab.ConnectInBackground(DecisionLab.Python, 80, timeoutSeconds: 15);
        JsonNode? prompt = null;
        Assert.True(await DecisionLab.EventuallyAsync(async () =>
        {
            var r = await lab.CliAsync("prompts", "--json");
            if (r.ExitCode != 0) return false;
            prompt = JsonNode.Parse(r.StdOut)!["prompts"]!.AsArray().FirstOrDefault(p => (int?)p!["dstPort"] == 80);
            return prompt is not null;
        }, 8), "the waiting connection shows up in `outgate prompts`");
        Assert.Equal(DecisionLab.Python, (string?)prompt!["exe"]);

        var answer = await lab.CliAsync("answer", ((long)prompt["id"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), "allow", "--for", "1h", "--scope", "app+port");
        Assert.True(answer.ExitCode == 0, answer.ToString());
        Assert.True(await connecting, "the connection that waited completes after the answer");

        // The answer became a rule: the next connection is not asked about.
        Assert.True(await lab.ConnectAsync(DecisionLab.Python, 80), "the saved rule allows the next connection without a prompt");
        Assert.Contains("python3", await lab.CliOkAsync("status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identical_prompts_coalesce_and_an_unanswered_prompt_times_out_to_deny()
    {
        await using var lab = await DecisionLab.CreateAsync("ptmo");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "interactive", "--prompt-timeout", "2s");

        var first = lab.ConnectInBackground(DecisionLab.Python, 443, timeoutSeconds: 8);
        var second = lab.ConnectInBackground(DecisionLab.Python, 443, timeoutSeconds: 8);
        Assert.True(await DecisionLab.EventuallyAsync(async () =>
        {
            var prompts = JsonNode.Parse(await lab.Daemon!.GetStringAsync("v1/prompts", Ct))!["prompts"]!.AsArray();
            return prompts.Count == 1 && (int?)prompts[0]!["waiting"] == 2;
        }, 5), "two identical connections wait on one prompt");
        var started = DateTime.UtcNow;
        Assert.False(await first);
        Assert.False(await second);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(6), "the timeout refused them, they did not hang until their own timeout");
        Assert.Empty(JsonNode.Parse(await lab.Daemon!.GetStringAsync("v1/prompts", Ct))!["prompts"]!.AsArray());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.Dashboard.Tests;

/// <summary>The rule endpoints run the CLI's parser and editor: same files written, same messages.</summary>
public sealed class RuleEditorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("allow out to any port 99999")]
    [InlineData("allow out app")]
    [InlineData("deny sideways 443")]
    [InlineData("delete 7")]
    public async Task A_refused_edit_says_what_the_CLI_says(string command)
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var web = await DashboardWeb.ForAsync(daemon);
        await web.LoginOkAsync();
        using var r = await web.SendAsync(HttpMethod.Post, "v1/rules", new JsonObject { ["command"] = command });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var errors = string.Join('\n', JsonNode.Parse(await r.Content.ReadAsStringAsync(Ct))!["errors"]!.AsArray().Select(e => (string)e!));

        var cli = await OutgateCli.RunAsync(null, ["--config-dir", daemon.ConfigDir, "--state-dir", daemon.StateDir, .. command.Split(' ')]);
        Assert.Equal(1, cli.ExitCode);
        Assert.Equal(cli.StdErr.Trim(), errors.Trim());
    }

    [Fact]
    public async Task Added_rules_are_listed_numbered_as_the_CLI_numbers_them_and_deleted_by_number()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var web = await DashboardWeb.ForAsync(daemon);
        await web.LoginOkAsync();
        using (var add = await web.SendAsync(HttpMethod.Post, "v1/rules", new JsonObject { ["command"] = "allow out app /usr/bin/curl to any port 443 proto tcp" }))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
            Assert.StartsWith("Rule added", (string)JsonNode.Parse(await add.Content.ReadAsStringAsync(Ct))!["message"]!);
        }
        using (var add = await web.SendAsync(HttpMethod.Post, "v1/rules", new JsonObject { ["command"] = "sudo outgate deny out to 10.0.0.0/8 comment 'no lan'" }))
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);

        var rules = JsonNode.Parse(await daemon.GetStringAsync("v1/rules", Ct))!["rules"]!.AsArray();
        Assert.Equal(2, rules.Count);
        Assert.Equal("allow out app /usr/bin/curl to any port 443 proto tcp", (string)rules[0]!["rule"]!);
        Assert.Equal("no lan", (string?)rules[1]!["comment"]);
        // The CLI sees the same rule 1 (a dry run of its delete names it).
        var cliDelete = await OutgateCli.RunAsync(null, ["--config-dir", daemon.ConfigDir, "--state-dir", daemon.StateDir, "--dry-run", "delete", "1"]);
        Assert.True(cliDelete.ExitCode == 0, cliDelete.ToString());

        var status = JsonNode.Parse(await daemon.GetStringAsync("v1/status", Ct))!;
        Assert.Equal(2, (int)status["policyRules"]!); // the live policy was reloaded

        using var again = await web.SendAsync(HttpMethod.Post, "v1/rules", new JsonObject { ["command"] = "deny out to 10.0.0.0/8 comment 'no lan'" });
        Assert.False((bool)JsonNode.Parse(await again.Content.ReadAsStringAsync(Ct))!["changed"]!);

        using var delete = await web.SendAsync(HttpMethod.Delete, "v1/rules/1");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        rules = JsonNode.Parse(await daemon.GetStringAsync("v1/rules", Ct))!["rules"]!.AsArray();
        Assert.Equal("deny out to 10.0.0.0/8 comment 'no lan'", (string)Assert.Single(rules)!["rule"]!);
    }
}

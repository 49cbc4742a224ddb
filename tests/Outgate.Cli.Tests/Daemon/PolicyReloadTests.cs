using Outgate.Cli.Daemon;

namespace Outgate.Cli.Tests.Daemon;

public class PolicyReloadTests
{
    [Fact]
    public async Task Reload_reports_the_rule_count_and_the_table()
    {
        await using var daemon = new FakeDaemon().On("POST", "/v1/policy/reload", """{"rules":7,"applied":true,"table":"inet outgate"}""");
        using var client = new DaemonClient(daemon.SocketPath);
        var result = await client.ReloadPolicyAsync(TestContext.Current.CancellationToken);
        Assert.Equal(new PolicyReloadResult(7, true, "inet outgate"), result);
    }

    [Fact]
    public async Task Invalid_policy_files_come_back_as_a_request_error_with_the_daemons_hint()
    {
        await using var daemon = new FakeDaemon().On("POST", "/v1/policy/reload",
            """{"error":"rules.toml:3:1: unknown action 'permit'","hint":"fix the file and reload; the running policy is unchanged"}""", status: 422);
        using var client = new DaemonClient(daemon.SocketPath);
        var ex = await Assert.ThrowsAsync<DaemonRequestException>(() => client.ReloadPolicyAsync(TestContext.Current.CancellationToken));
        Assert.Equal(422, ex.Status);
        Assert.Equal("rules.toml:3:1: unknown action 'permit'", ex.Message);
        Assert.Equal("fix the file and reload; the running policy is unchanged", ex.Hint);
    }
}

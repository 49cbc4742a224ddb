using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Existing connections are never cut by enable or reload.</summary>
public class SessionTests
{
    [Fact]
    public async Task An_established_session_survives_enable_with_default_deny_outgoing()
    {
        await using var f = await FirewallLab.CreateAsync("ssh");
        var session = await f.Lab.OpenSessionAsync(22);
        Assert.True(await session.PingAsync());
        await f.RunAllAsync("default deny outgoing", "default deny incoming", "enable");
        await f.Lab.AssertReachableExactlyAsync("new connections are blocked");
        Assert.True(await session.PingAsync(), "the established session was cut by enable");
        await f.Cli.OkAsync("reload");
        Assert.True(await session.PingAsync(), "the established session was cut by reload");
    }
}

using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Existing connections are never cut by enable or reload.</summary>
public class SessionTests
{
    [Fact]
    public async Task An_established_session_survives_enable_with_default_deny_outgoing()
    {
        await using var f = await FirewallLab.CreateAsync("ssh");
        await f.Lab.StartClientListenersAsync();
        var outgoing = await f.Lab.OpenSessionAsync(22);
        var incoming = await f.Lab.OpenIncomingSessionAsync(22, v6: true);
        Assert.True(await outgoing.PingAsync());
        Assert.True(await incoming.PingAsync());
        await f.RunAllAsync("default deny outgoing", "default deny incoming", "enable");
        await f.Lab.AssertReachableExactlyAsync("new connections are blocked");
        await f.Lab.AssertIncomingExactlyAsync("new connections are blocked");
        Assert.True(await outgoing.PingAsync(), "the outgoing session was cut by enable");
        Assert.True(await incoming.PingAsync(), "the incoming (admin's SSH) session was cut by enable");
        await f.Cli.OkAsync("reload");
        Assert.True(await outgoing.PingAsync(), "the outgoing session was cut by reload");
        Assert.True(await incoming.PingAsync(), "the incoming session was cut by reload");
    }
}

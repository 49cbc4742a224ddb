using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>panic on|off.</summary>
public class PanicTests
{
    [Fact]
    public async Task Panic_blocks_everything_but_loopback_and_off_restores_the_policy()
    {
        await using var f = await FirewallLab.CreateAsync("pan");
        await f.RunAllAsync("default deny outgoing", "allow out 22", "allow out 80", "enable");
        var session = await f.Lab.OpenSessionAsync(22);
        Assert.Contains("Panic mode on", await f.Cli.OkAsync("panic on"));
        await f.Lab.AssertReachableExactlyAsync("panic on");
        Assert.False(await session.PingAsync(), "panic must cut established sessions too");
        var lo = await f.Lab.Client.ExecAsync("python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); c=socket.create_connection(s.getsockname(), timeout=1); print('ok')");
        Assert.Contains("ok", lo.StdOut);
        Assert.Contains("Panic mode: on", await f.Cli.OkAsync("status"));
        await f.Cli.OkAsync("panic off");
        await f.Lab.AssertReachableExactlyAsync("panic off", ReachabilityLab.Both("tcp", 22, 80));
    }
}

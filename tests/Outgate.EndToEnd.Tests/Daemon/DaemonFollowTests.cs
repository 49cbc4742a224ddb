using System.Diagnostics;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Daemon;

public class DaemonFollowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Log_follow_streams_a_new_event()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        var psi = new ProcessStartInfo(OutgateCli.DotnetPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { OutgateCli.Dll, "log", "--follow", "--json", "--socket", daemon.SocketPath }) psi.ArgumentList.Add(a);
        using var follow = Process.Start(psi)!;
        try
        {
            // The "started" event is already there: printed first, before following.
            var first = await follow.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);
            Assert.Contains("\"type\":\"daemon\"", first);

            var switched = await daemon.CliAsync("mode", "lockdown");
            Assert.True(switched.ExitCode == 0, switched.ToString());

            var next = await follow.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Contains("\"type\":\"mode-change\"", next);
            Assert.Contains("mode switched from learn to lockdown", next);
            Assert.Contains("\"severity\":\"warning\"", next);
        }
        finally
        {
            if (!follow.HasExited) follow.Kill();
            await follow.WaitForExitAsync(Ct);
        }
    }

    [Fact]
    public async Task Log_follow_ends_when_the_daemon_stops()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        var psi = new ProcessStartInfo(OutgateCli.DotnetPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { OutgateCli.Dll, "log", "-f", "--socket", daemon.SocketPath }) psi.ArgumentList.Add(a);
        using var follow = Process.Start(psi)!;
        try
        {
            var first = await follow.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);
            Assert.Contains("started", first);
            // The history comes before the stream is open: a line only the stream can bring proves it is, so the stop
            // below cannot fall between the two (then the CLI rightly says the daemon is not running).
            var switched = await daemon.CliAsync("mode", "lockdown");
            Assert.True(switched.ExitCode == 0, switched.ToString());
            var viaStream = await follow.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);
            Assert.Contains("lockdown", viaStream);
            Assert.Equal(0, await daemon.StopAsync());
            var rest = await follow.StandardOutput.ReadToEndAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
            await follow.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Contains("outgated stopping", rest);
            Assert.Contains("closed the stream", await follow.StandardError.ReadToEndAsync(Ct));
        }
        finally
        {
            if (!follow.HasExited) follow.Kill();
        }
    }
}

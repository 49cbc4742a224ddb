using System.Diagnostics;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Health;

/// <summary>
/// A private dbus-daemon with the session bus configuration, run as an unprivileged user (65534, nobody) with its socket
/// at ROOT/run/user/65534/bus, as a logged-in user's bus would be. Killed by PID and removed on dispose.
/// </summary>
internal sealed class SessionBus : IAsyncDisposable
{
    public const uint Uid = 65534;

    private SessionBus(string root, Process process)
    {
        Root = root;
        Process = process;
    }

    public string Root { get; }
    public string RuntimeRoot => Path.Combine(Root, "run", "user");
    public string SocketPath => Path.Combine(RuntimeRoot, Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), "bus");
    public Process Process { get; }

    public static async Task<SessionBus> StartAsync()
    {
        if (!NetworkNamespace.IsRoot) Assert.Skip("needs root: runs a session bus as another user and connects to it as that user");
        if (!File.Exists("/usr/bin/dbus-daemon")) Assert.Skip("needs dbus-daemon (apt-get install dbus-daemon)");
        var root = Directory.CreateTempSubdirectory("og-bus-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0x1ED); // 0755: nobody must reach its runtime directory below
        var userDir = Path.Combine(root, "run", "user", Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(userDir);
        File.SetUnixFileMode(Path.Combine(root, "run"), (UnixFileMode)0x1ED);
        File.SetUnixFileMode(Path.Combine(root, "run", "user"), (UnixFileMode)0x1ED);
        await Shell.RunCheckedAsync("chown", [$"{Uid}:{Uid}", userDir]);
        File.SetUnixFileMode(userDir, (UnixFileMode)0x1C0); // 0700 like /run/user/UID
        var psi = new ProcessStartInfo("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
            "dbus-daemon", "--session", $"--address=unix:path={Path.Combine(userDir, "bus")}", "--nofork", "--nopidfile"])
        { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(psi)!;
        var bus = new SessionBus(root, process);
        for (var i = 0; i < 100 && !File.Exists(bus.SocketPath); i++)
        {
            if (process.HasExited) break;
            await Task.Delay(50);
        }
        if (!File.Exists(bus.SocketPath))
        {
            var err = process.HasExited ? await process.StandardError.ReadToEndAsync() : "";
            await bus.DisposeAsync();
            throw new InvalidOperationException($"dbus-daemon did not create {bus.SocketPath}: {err}");
        }
        return bus;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited) Process.Kill();
            await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        Process.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

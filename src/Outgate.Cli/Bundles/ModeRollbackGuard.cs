using System.Diagnostics;
using System.Globalization;
using Outgate.Cli.Daemon;
using Outgate.Cli.Firewall;

namespace Outgate.Cli.Bundles;

/// <summary>
/// <c>outgate enforce --confirm-within T</c>'s safety net, the daemon-mode twin of <see cref="RollbackGuard"/>: a marker
/// <c>STATE/mode-confirm-by</c> (deadline, token, previous mode, socket; one per line) and a detached watcher
/// (<c>outgate __mode-rollback-watch TOKEN</c>, own session) that switches the daemon back to the previous mode at the
/// deadline unless <c>outgate confirm</c> took the marker first. Confirm and rollback both claim the marker by renaming
/// it, so exactly one wins. The marker lives outside <c>STATE/pending/</c> because a ruleset change clears that directory.
/// </summary>
public sealed class ModeRollbackGuard
{
    private readonly FirewallPaths _paths;

    public ModeRollbackGuard(FirewallPaths paths) => _paths = paths;

    public string Marker => Path.Combine(_paths.StateDir, "mode-confirm-by");

    public bool IsPending => File.Exists(Marker);

    /// <summary>Writes the marker and starts the watcher; returns the deadline.</summary>
    public DateTimeOffset Arm(TimeSpan within, string previousMode, string socket)
    {
        if (IsPending)
            throw new FirewallException(ExitCodes.BadInput,
                "outgate: an earlier mode change is still waiting for `outgate confirm`; confirm it (or let it roll back) first");
        var deadline = DateTimeOffset.UtcNow + within;
        var token = Guid.NewGuid().ToString("N");
        AtomicFile.Write(Marker, $"{deadline.ToUnixTimeMilliseconds()}\n{token}\n{previousMode}\n{socket}\n");
        try
        {
            StartWatcher(token);
        }
        catch
        {
            File.Delete(Marker);
            throw;
        }
        return deadline;
    }

    /// <summary><c>outgate confirm</c>: true when a pending mode change was confirmed (its rollback cancelled).</summary>
    public bool Confirm()
    {
        var claimed = Marker + ".confirmed";
        try
        {
            File.Move(Marker, claimed, overwrite: true);
        }
        catch (FileNotFoundException) { return false; }
        catch (DirectoryNotFoundException) { return false; }
        File.Delete(claimed);
        return true;
    }

    /// <summary>The watcher (runs detached): waits, then restores the previous mode unless confirmed or superseded.</summary>
    public async Task<int> WatchAsync(string token, TextWriter log, CancellationToken ct)
    {
        PendingMode? pending;
        while (true)
        {
            pending = TryReadMarker();
            if (pending is null || pending.Token != token)
            {
                await log.WriteLineAsync($"{DateTimeOffset.UtcNow:O} mode change confirmed; no rollback");
                return ExitCodes.Ok;
            }
            var left = pending.Deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) break;
            await Task.Delay(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100), ct);
        }
        var claimed = Marker + ".rollback";
        try
        {
            File.Move(Marker, claimed, overwrite: true);
        }
        catch (FileNotFoundException) { return ExitCodes.Ok; }
        File.Delete(claimed);

        using var client = new DaemonClient(pending.Socket) { RequestTimeout = TimeSpan.FromSeconds(10) };
        // Bounded retries: a daemon restarting at the deadline gets ~10 s to come back.
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            try
            {
                var status = await client.GetStatusAsync(ct);
                if (status.Mode != "enforce")
                {
                    await log.WriteLineAsync($"{DateTimeOffset.UtcNow:O} not confirmed in time, but the mode is now {status.Mode} (changed by someone else): left alone");
                    return ExitCodes.Ok;
                }
                var change = await client.SetModeAsync(pending.PreviousMode, ct);
                await log.WriteLineAsync($"{DateTimeOffset.UtcNow:O} not confirmed in time: mode switched back from {change.Previous} to {change.Mode}");
                return ExitCodes.Ok;
            }
            catch (DaemonUnavailableException ex) when (attempt < 10)
            {
                await log.WriteLineAsync($"{DateTimeOffset.UtcNow:O} mode rollback: {ex.Message}; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
            catch (Exception ex) when (ex is DaemonUnavailableException or DaemonRequestException)
            {
                await log.WriteLineAsync($"{DateTimeOffset.UtcNow:O} mode rollback FAILED: {ex.Message}; switch back by hand: outgate mode {pending.PreviousMode}");
                return ExitCodes.FileError;
            }
        }
        return ExitCodes.FileError;
    }

    private sealed record PendingMode(DateTimeOffset Deadline, string Token, string PreviousMode, string Socket);

    private PendingMode? TryReadMarker()
    {
        string[] lines;
        try { lines = File.ReadAllLines(Marker); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        if (lines.Length < 4 || !long.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return null;
        return new PendingMode(DateTimeOffset.FromUnixTimeMilliseconds(ms), lines[1], lines[2], lines[3]);
    }

    private void StartWatcher(string token)
    {
        // As RollbackGuard: setsid -f gives the watcher its own session; it outlives this process and the terminal.
        var log = Path.Combine(_paths.StateDir, "rollback.log");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in (string[])["-c", "log=$1; shift; exec setsid -f \"$@\" </dev/null >>\"$log\" 2>&1", "sh", log])
            psi.ArgumentList.Add(a);
        foreach (var a in SelfCommand()) psi.ArgumentList.Add(a);
        foreach (var a in (string[])["--config-dir", _paths.ConfigDir, "--state-dir", _paths.StateDir, "__mode-rollback-watch", token])
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new FirewallException(ExitCodes.FileError, "outgate: could not start the mode rollback watcher");
        p.WaitForExit(10_000);
        if (!p.HasExited || p.ExitCode != 0)
            throw new FirewallException(ExitCodes.FileError, "outgate: could not start the mode rollback watcher (setsid)");
    }

    private static string[] SelfCommand()
    {
        var process = Environment.ProcessPath ?? throw new FirewallException(ExitCodes.FileError, "outgate: cannot find its own executable");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "outgate.dll")]
            : [process];
    }
}

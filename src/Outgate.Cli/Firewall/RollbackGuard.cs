using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Outgate.Policy;

namespace Outgate.Cli.Firewall;

/// <summary>
/// <c>--confirm-within</c>: before a change, the current table, the enabled switch and the policy
/// files are saved under <c>state/pending/</c>; after it, a detached watcher process
/// (<c>outgate __rollback-watch</c>, same network namespace, own session) waits for the deadline and
/// puts everything back unless <c>outgate confirm</c> removed the marker first. Confirm and rollback
/// both claim the marker by renaming it, so exactly one of them wins.
/// </summary>
public sealed class RollbackGuard
{
    /// <summary>Longest accepted <c>--confirm-within</c>.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(24);

    private readonly FirewallPaths _paths;

    public RollbackGuard(FirewallPaths paths) => _paths = paths;

    private string TableFile => Path.Combine(_paths.PendingDir, "table.json");
    private string EnabledFile => Path.Combine(_paths.PendingDir, "enabled");
    private string ConfigCopy => Path.Combine(_paths.PendingDir, "config");

    public bool IsPending => File.Exists(_paths.PendingMarker);

    /// <summary>Saves what a rollback restores. Call before changing anything.</summary>
    public void Prepare(string? currentTable, bool enabled)
    {
        if (IsPending)
            throw new FirewallException(ExitCodes.BadInput,
                "outgate: an earlier change is still waiting for `outgate confirm`; confirm it (or let it roll back) before starting another --confirm-within change");
        if (Directory.Exists(_paths.PendingDir)) Directory.Delete(_paths.PendingDir, recursive: true);
        Directory.CreateDirectory(ConfigCopy);
        AtomicFile.Write(TableFile, currentTable ?? "null");
        AtomicFile.Write(EnabledFile, enabled ? "yes" : "no");
        foreach (var file in PolicyFiles(_paths.ConfigDir))
        {
            var target = Path.Combine(ConfigCopy, Path.GetRelativePath(_paths.ConfigDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The change is in: write the marker and start the watcher.</summary>
    public DateTimeOffset Arm(TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        var token = Guid.NewGuid().ToString("N");
        AtomicFile.Write(_paths.PendingMarker, $"{deadline.ToUnixTimeMilliseconds()} {token}\n");
        StartWatcher(token);
        return deadline;
    }

    /// <summary>The change failed: forget the saved state.</summary>
    public void Discard()
    {
        if (!IsPending && Directory.Exists(_paths.PendingDir)) Directory.Delete(_paths.PendingDir, recursive: true);
    }

    /// <summary><c>outgate confirm</c>: true when a pending change was confirmed (its rollback cancelled).</summary>
    public bool Confirm()
    {
        var claimed = _paths.PendingMarker + ".confirmed";
        try
        {
            File.Move(_paths.PendingMarker, claimed);
        }
        catch (FileNotFoundException) { return false; }
        catch (DirectoryNotFoundException) { return false; }
        Directory.Delete(_paths.PendingDir, recursive: true);
        return true;
    }

    /// <summary>The watcher's loop (runs detached). Returns when confirmed, superseded, or rolled back.</summary>
    public int Watch(string token, TextWriter log)
    {
        while (true)
        {
            if (!TryReadMarker(out var deadline, out var current) || current != token)
            {
                log.WriteLine($"{DateTimeOffset.UtcNow:O} confirmed; no rollback");
                return ExitCodes.Ok;
            }
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) break;
            Thread.Sleep(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
        }
        using var _ = StateLock.Acquire(_paths);
        var claimed = _paths.PendingMarker + ".rollback";
        try
        {
            File.Move(_paths.PendingMarker, claimed);
        }
        catch (FileNotFoundException) { return ExitCodes.Ok; }
        RollBack(log);
        return ExitCodes.Ok;
    }

    private void RollBack(TextWriter log)
    {
        var table = File.ReadAllText(TableFile);
        var enabled = File.ReadAllText(EnabledFile).Trim() == "yes";
        foreach (var file in PolicyFiles(_paths.ConfigDir)) File.Delete(file);
        foreach (var file in Directory.EnumerateFiles(ConfigCopy, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_paths.ConfigDir, Path.GetRelativePath(ConfigCopy, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        FirewallState.SetEnabled(_paths, enabled);
        using var kernel = KernelFirewall.Open(_paths);
        string? hash = null;
        if (PolicyFileSet.Load(_paths.ConfigDir) is { Succeeded: true } load)
            hash = KernelFirewall.Hash(FirewallCompiler.Compile(load.FileSet.Policy).CreateJson);
        kernel.Restore(table == "null" ? null : table, hash);
        Directory.Delete(_paths.PendingDir, recursive: true);
        log.WriteLine($"{DateTimeOffset.UtcNow:O} not confirmed in time: previous ruleset, policy files and enabled={(enabled ? "yes" : "no")} restored");
    }

    private bool TryReadMarker(out DateTimeOffset deadline, out string token)
    {
        deadline = default;
        token = "";
        string text;
        try { text = File.ReadAllText(_paths.PendingMarker); }
        catch (FileNotFoundException) { return false; }
        catch (DirectoryNotFoundException) { return false; }
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ms)) return false;
        deadline = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        token = parts[1];
        return true;
    }

    private void StartWatcher(string token)
    {
        // setsid -f: own session, survives the terminal and this process; stdio away from our pipes.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in (string[])["-c", "log=$1; shift; exec setsid -f \"$@\" </dev/null >>\"$log\" 2>&1", "sh", _paths.RollbackLog])
            psi.ArgumentList.Add(a);
        foreach (var a in SelfCommand()) psi.ArgumentList.Add(a);
        foreach (var a in (string[])["--config-dir", _paths.ConfigDir, "--state-dir", _paths.StateDir, "__rollback-watch", token])
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new FirewallException(ExitCodes.FileError, "outgate: could not start the rollback watcher");
        p.WaitForExit(10_000);
        if (!p.HasExited || p.ExitCode != 0)
            throw new FirewallException(ExitCodes.FileError, "outgate: could not start the rollback watcher (setsid)");
    }

    /// <summary>How to run this same CLI again: the apphost, or <c>dotnet outgate.dll</c>.</summary>
    private static string[] SelfCommand()
    {
        var process = Environment.ProcessPath ?? throw new FirewallException(ExitCodes.FileError, "outgate: cannot find its own executable");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "outgate.dll")]
            : [process];
    }

    private static IEnumerable<string> PolicyFiles(string configDir)
    {
        var main = Path.Combine(configDir, PolicyFileSet.MainFileName);
        if (File.Exists(main)) yield return main;
        var dropIns = Path.Combine(configDir, PolicyFileSet.DropInDirectoryName);
        if (Directory.Exists(dropIns))
            foreach (var f in Directory.EnumerateFiles(dropIns, "*.toml")) yield return f;
    }
}

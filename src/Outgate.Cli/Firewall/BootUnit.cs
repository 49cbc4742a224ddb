using System.Diagnostics;

namespace Outgate.Cli.Firewall;

/// <summary>
/// Boot persistence: <c>outgate-rules.service</c> (also shipped as packaging/outgate-rules.service)
/// runs <c>outgate reload --boot</c> before network-pre.target. Installed and enabled by
/// <c>outgate enable</c> only for the system configuration (/etc/outgate, /var/lib/outgate) and only
/// when systemd is PID 1; tests and namespaced instances with their own directories never touch it.
/// </summary>
public static class BootUnit
{
    public const string Name = "outgate-rules.service";

    public const string Text = """
        [Unit]
        Description=Outgate firewall rules (loads table inet outgate before the network comes up)
        Documentation=https://github.com/outgate/outgate
        DefaultDependencies=no
        Before=network-pre.target shutdown.target
        Wants=network-pre.target
        After=local-fs.target
        Conflicts=shutdown.target
        ConditionPathExists=/var/lib/outgate/outgate.conf

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        # Does nothing unless `outgate enable` recorded ENABLED=yes; keeps the rules loaded on stop.
        ExecStart=/usr/local/bin/outgate reload --boot

        [Install]
        WantedBy=sysinit.target

        """;

    /// <summary>True when boot persistence applies to these directories on this machine.</summary>
    public static bool Applies(FirewallPaths paths) =>
        paths.IsSystemConfig
        && Path.GetFullPath(paths.StateDir).TrimEnd('/') == "/var/lib/outgate"
        && SystemdIsInit();

    /// <summary>Installs (if needed) and enables the unit; returns a warning instead of failing the command.</summary>
    public static string? TryEnable(FirewallPaths paths)
    {
        if (!Applies(paths)) return null;
        var target = Path.Combine("/etc/systemd/system", Name);
        if (!File.Exists(target) && !File.Exists(Path.Combine("/usr/lib/systemd/system", Name)) && !File.Exists(Path.Combine("/lib/systemd/system", Name)))
        {
            AtomicFile.Write(target, Text);
            Systemctl("daemon-reload");
        }
        return Systemctl("enable", "--quiet", Name);
    }

    public static string? TryDisable(FirewallPaths paths) =>
        Applies(paths) ? Systemctl("disable", "--quiet", Name) : null;

    private static bool SystemdIsInit()
    {
        try { return File.ReadAllText("/proc/1/comm").Trim() == "systemd"; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private static string? Systemctl(params string[] args)
    {
        var psi = new ProcessStartInfo("systemctl") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(30_000)) return $"warning: systemctl {string.Join(' ', args)} did not finish; boot persistence may be off";
            return p.ExitCode == 0 ? null : $"warning: systemctl {string.Join(' ', args)} failed: {err.Result.Trim()}; boot persistence may be off";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"warning: cannot run systemctl ({ex.Message}); boot persistence is off";
        }
    }
}

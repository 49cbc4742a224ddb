namespace Outgate.Cli.Firewall;

/// <summary>The kernel's id of the current boot; until-reboot rules carry it and stop applying once it changes.</summary>
public static class BootIdFile
{
    public const string Path = "/proc/sys/kernel/random/boot_id";

    /// <summary>The boot id, or null when /proc is not readable (containers without /proc/sys, non-Linux).</summary>
    public static string? TryRead()
    {
        try
        {
            var id = File.ReadAllText(Path).Trim();
            return id.Length > 0 ? id : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

namespace Outgate.Cli.Firewall;

/// <summary>The persisted on/off switch, in <c>outgate.conf</c> under the state directory (<c>ENABLED=yes</c>, like ufw.conf).</summary>
public static class FirewallState
{
    public static bool IsEnabled(FirewallPaths paths)
    {
        if (!File.Exists(paths.StateFile)) return false;
        foreach (var line in File.ReadLines(paths.StateFile))
        {
            var t = line.Trim();
            if (t.StartsWith("ENABLED=", StringComparison.Ordinal))
                return t["ENABLED=".Length..].Trim().Equals("yes", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    public static void SetEnabled(FirewallPaths paths, bool enabled) =>
        AtomicFile.Write(paths.StateFile, $"# Written by outgate enable/disable.\nENABLED={(enabled ? "yes" : "no")}\n");
}

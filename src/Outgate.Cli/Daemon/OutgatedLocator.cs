namespace Outgate.Cli.Daemon;

/// <summary>
/// Finds the outgated that belongs to this outgate: first next to the CLI (a package installs both
/// into one directory, so the two always match), then on PATH. A framework-dependent build has only
/// outgated.dll next to outgate.dll; it runs under the same dotnet host.
/// </summary>
public static class OutgatedLocator
{
    public const string ProgramName = "outgated";

    public static OutgatedLaunch? Find(string baseDirectory, string? hostPath, string? pathVariable, Func<string, bool> isExecutable)
    {
        var beside = Path.Combine(baseDirectory, ProgramName);
        if (isExecutable(beside)) return new(beside, []);
        var dll = Path.Combine(baseDirectory, ProgramName + ".dll");
        if (hostPath is not null && Path.GetFileNameWithoutExtension(hostPath) == "dotnet" && File.Exists(dll))
            return new(hostPath, [dll]);
        foreach (var dir in (pathVariable ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, ProgramName);
            if (Path.IsPathRooted(candidate) && isExecutable(candidate)) return new(candidate, []);
        }
        return null;
    }

    /// <summary>The real lookup: this process's directory and host, and $PATH.</summary>
    public static OutgatedLaunch? Find() =>
        Find(AppContext.BaseDirectory, Environment.ProcessPath, Environment.GetEnvironmentVariable("PATH"), IsExecutable);

    public static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}

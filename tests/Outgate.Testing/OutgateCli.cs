namespace Outgate.Testing;

/// <summary>
/// Runs the real `outgate` CLI (the outgate.dll built next to the test assembly) as a separate
/// process, optionally inside a network namespace and as another user, exactly as an admin would.
/// </summary>
public static class OutgateCli
{
    public static string DllPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "outgate.dll");
            if (!File.Exists(path)) throw new FileNotFoundException("outgate.dll is not next to the test assembly: does the test project reference src/Outgate.Cli?", path);
            return path;
        }
    }

    public static string DotnetPath =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : File.Exists("/usr/share/dotnet/dotnet") ? "/usr/share/dotnet/dotnet"
        : "dotnet";

    /// <summary>`ip netns exec NS [setpriv --reuid UID] dotnet outgate.dll ARGS`.</summary>
    public static Task<ShellResult> RunAsync(NetworkNamespace? ns, IEnumerable<string> args, uint? asUid = null, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var command = new List<string>();
        if (ns is not null) command.AddRange(["ip", "netns", "exec", ns.Name]);
        if (asUid is { } uid) command.AddRange(["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups"]);
        command.AddRange([DotnetPath, DllPath]);
        command.AddRange(args);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            // A non-root run must not need a writable home.
            ["HOME"] = asUid is null ? Environment.GetEnvironmentVariable("HOME") ?? "/root" : "/tmp",
        };
        if (env is not null) foreach (var (k, v) in env) environment[k] = v;
        return Shell.RunAsync(command[0], command.Skip(1), env: environment, timeout: timeout);
    }

    public static Task<ShellResult> RunAsync(NetworkNamespace? ns, params string[] args) => RunAsync(ns, (IEnumerable<string>)args);
}

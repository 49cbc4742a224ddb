namespace Outgate.Testing;

/// <summary>
/// Runs the real `outgate` CLI (the outgate.dll built next to the test assembly) as a separate
/// process, inside a network namespace, exactly as an admin would. An instance owns private
/// config and state directories (<c>--config-dir D --state-dir S</c>) so no test ever reads or
/// writes /etc/outgate or /var/lib/outgate; the static form runs commands that need neither.
/// </summary>
public sealed class OutgateCli : IDisposable
{
    private readonly NetworkNamespace _ns;

    public OutgateCli(NetworkNamespace ns)
    {
        _ns = ns;
        Root = Directory.CreateTempSubdirectory("og-cli-").FullName;
        ConfigDir = Directory.CreateDirectory(Path.Combine(Root, "etc")).FullName;
        StateDir = Directory.CreateDirectory(Path.Combine(Root, "state")).FullName;
    }

    public string Root { get; }
    public string ConfigDir { get; }
    public string StateDir { get; }

    /// <summary>The CLI assembly copied next to the test assembly by the project reference.</summary>
    public static string Dll
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

    /// <summary>Runs <c>outgate ARGS</c> in the namespace (args split on spaces, like a shell line without quoting).</summary>
    public Task<ShellResult> RunAsync(string commandLine, string? stdin = null) =>
        RunArgsAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), stdin);

    public Task<ShellResult> RunArgsAsync(string[] args, string? stdin = null) =>
        Shell.RunAsync("ip", ["netns", "exec", _ns.Name, DotnetPath, Dll, "--config-dir", ConfigDir, "--state-dir", StateDir, .. args], stdin,
            env: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            timeout: TimeSpan.FromSeconds(30));

    /// <summary>Runs and asserts exit code 0, returning stdout.</summary>
    public async Task<string> OkAsync(string commandLine)
    {
        var r = await RunAsync(commandLine);
        Assert.True(r.ExitCode == 0, $"outgate {commandLine} failed: {r}");
        return r.StdOut;
    }

    /// <summary>`ip netns exec NS [setpriv --reuid UID] dotnet outgate.dll ARGS` with the default directories.</summary>
    public static Task<ShellResult> RunAsync(NetworkNamespace? ns, IEnumerable<string> args, uint? asUid = null, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var command = new List<string>();
        if (ns is not null) command.AddRange(["ip", "netns", "exec", ns.Name]);
        if (asUid is { } uid) command.AddRange(["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups"]);
        command.AddRange([DotnetPath, Dll]);
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

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

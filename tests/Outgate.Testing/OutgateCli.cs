namespace Outgate.Testing;

/// <summary>
/// Runs the built <c>outgate</c> CLI as a process inside a namespace (<c>ip netns exec NS dotnet
/// outgate.dll --config-dir D --state-dir S …</c>) with its own config and state directories, so
/// no test ever reads or writes /etc/outgate or /var/lib/outgate.
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

    /// <summary>Runs <c>outgate ARGS</c> in the namespace (args split on spaces, like a shell line without quoting).</summary>
    public Task<ShellResult> RunAsync(string commandLine, string? stdin = null) =>
        RunArgsAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), stdin);

    public Task<ShellResult> RunArgsAsync(string[] args, string? stdin = null) =>
        Shell.RunAsync("ip", ["netns", "exec", _ns.Name, "dotnet", Dll, "--config-dir", ConfigDir, "--state-dir", StateDir, .. args], stdin,
            env: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            timeout: TimeSpan.FromSeconds(30));

    /// <summary>Runs and asserts exit code 0, returning stdout.</summary>
    public async Task<string> OkAsync(string commandLine)
    {
        var r = await RunAsync(commandLine);
        Assert.True(r.ExitCode == 0, $"outgate {commandLine} failed: {r}");
        return r.StdOut;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

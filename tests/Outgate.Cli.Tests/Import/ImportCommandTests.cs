using System.Runtime.CompilerServices;
using Outgate.Cli.Tests.Daemon;
using Outgate.Policy;

namespace Outgate.Cli.Tests.Import;

/// <summary>Runs `outgate import` in-process against the fixtures of Outgate.Policy.Tests/Import/testdata and a temporary --config-dir.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string configDir = Directory.CreateTempSubdirectory("outgate-import-").FullName;

    public void Dispose() => Directory.Delete(configDir, recursive: true);

    private static string Fixture(string relative, [CallerFilePath] string source = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "../../Outgate.Policy.Tests/Import/testdata", relative));

    [Fact]
    public async Task Import_ufw_from_a_directory_writes_a_policy_that_loads_and_holds_the_rules()
    {
        var (exit, output, error) = await CliRun.RunAsync("import", "ufw", "--from", Fixture("ufw/server/etc/ufw"), "--config-dir", configDir);
        Assert.True(exit == 0, output + error);
        Assert.Contains("files written only", output, StringComparison.Ordinal);
        var load = PolicyFileSet.Load(configDir);
        Assert.True(load.Succeeded, string.Join('\n', load.Errors));
        var commands = load.FileSet.Policy.Rules.Select(r => r.ToUfwString()).ToArray();
        Assert.Equal(
        [
            "allow 22/tcp",
            "allow from 10.0.0.0/8 to any port 5432 proto tcp comment 'postgres'",
            "allow out 123/udp",
            "allow out 443/tcp",
            "allow out 53",
        ], commands);
        Assert.Equal(DefaultPolicy.Deny, load.FileSet.Policy.Defaults.Outgoing);
        // The firewall was not enabled by the import.
        Assert.False(File.Exists(Path.Combine(configDir, ".state", "outgate.conf")) && File.ReadAllText(Path.Combine(configDir, ".state", "outgate.conf")).Contains("ENABLED=yes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Skipped_items_give_exit_code_1_and_the_rest_is_still_written()
    {
        var (exit, _, error) = await CliRun.RunAsync("import", "ufw", "--from", Fixture("ufw/desktop/etc/ufw"), "--config-dir", configDir);
        Assert.Equal(1, exit);
        Assert.Contains("user.rules:45: skipped:", error, StringComparison.Ordinal);
        Assert.Equal(12, PolicyFileSet.Load(configDir).FileSet!.Policy.Rules.Count);
    }

    [Fact]
    public async Task Dry_run_prints_the_toml_and_writes_nothing()
    {
        var (exit, output, _) = await CliRun.RunAsync("--dry-run", "import", "ufw", "--status-file", Fixture("ufw/status/verbose.txt"), "--config-dir", configDir);
        Assert.Equal(0, exit);
        Assert.Contains("[[rule]]", output, StringComparison.Ordinal);
        Assert.Contains("comment = \"no db\"", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(configDir));
    }

    [Fact]
    public async Task Unreadable_input_gives_exit_code_2_and_writes_nothing()
    {
        var bad = Directory.CreateTempSubdirectory("outgate-import-bad-").FullName;
        try
        {
            File.Copy(Fixture("opensnitch/rules/000-allow-localhost.json"), Path.Combine(bad, "a.json"));
            File.Copy(Fixture("opensnitch/bad/truncated.json"), Path.Combine(bad, "b.json"));
            var (exit, _, error) = await CliRun.RunAsync("import", "opensnitch", bad, "--config-dir", configDir);
            Assert.Equal(2, exit);
            Assert.Contains("b.json:2: error: not valid JSON", error, StringComparison.Ordinal);
            Assert.Contains("Nothing was written", error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(configDir));
        }
        finally
        {
            Directory.Delete(bad, recursive: true);
        }
    }

    [Fact]
    public async Task Json_output_lists_rules_and_notes()
    {
        var (exit, output, _) = await CliRun.RunAsync("import", "ufw", "--status-file", Fixture("ufw/status/numbered.txt"), "--from", Fixture("ufw/server/etc/ufw"), "--json", "--config-dir", configDir);
        Assert.Equal(1, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("rules").GetArrayLength());
        Assert.Contains(json.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetProperty("kind").GetString() == "skipped" && n.GetProperty("line").GetInt32() == 7);
    }

    [Fact]
    public async Task Missing_directory_is_unreadable_input()
    {
        var (exit, _, error) = await CliRun.RunAsync("import", "ufw", "--from", Path.Combine(configDir, "nope"), "--config-dir", configDir);
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }
}

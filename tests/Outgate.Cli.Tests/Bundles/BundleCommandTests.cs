using System.Security.Cryptography;
using System.Text;
using Outgate.Cli.Bundles;
using Outgate.Cli.Firewall;
using Outgate.Cli.Tests.Daemon;

namespace Outgate.Cli.Tests.Bundles;

/// <summary>export / apply / confirm run in-process against temporary config directories (the firewall is never enabled there, so nothing touches the kernel).</summary>
public sealed class BundleCommandTests : IDisposable
{
    private const string Main = "# web server\n[defaults]\noutgoing = \"deny\"\n\n[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"443\"\nproto = \"tcp\"\n";
    private const string Dns = "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"53\"\n";

    private readonly string _root = Directory.CreateTempSubdirectory("og-bundle-").FullName;

    private string Dir(string name) => Path.Combine(_root, name);

    private void Write(string dir, string relative, string text)
    {
        var path = Path.Combine(Dir(dir), relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string Source()
    {
        Write("a", "outgate.toml", Main);
        Write("a", "rules.d/10-dns.toml", Dns);
        return Dir("a");
    }

    private static Task<(int Exit, string Out, string Err)> Run(string configDir, params string[] args) =>
        CliRun.RunAsync(["--config-dir", configDir, .. args]);

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.state/", StringComparison.Ordinal))
                .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllText)
            : [];

    [Fact]
    public async Task Export_then_apply_gives_identical_files_and_the_same_digest()
    {
        var source = Source();
        var bundle = Path.Combine(_root, "p.bundle");
        var export = await Run(source, "export", "--output", bundle);
        Assert.Equal(0, export.Exit);
        var digest = File.ReadLines(bundle).ElementAt(1)["# sha256: ".Length..];
        Assert.Contains($"sha256: {digest}", export.Err);

        var apply = await Run(Dir("b"), "apply", bundle);
        Assert.True(apply.Exit == 0, apply.Err);
        Assert.Equal(Snapshot(source).Where(kv => !kv.Key.StartsWith('.')), Snapshot(Dir("b")).Where(kv => !kv.Key.StartsWith('.')));

        var again = await Run(Dir("b"), "export");
        Assert.Equal(0, again.Exit);
        Assert.Equal(File.ReadAllText(bundle).Split('\n').Skip(4), again.Out.Split('\n').Skip(4));
        Assert.Equal(digest + "\n", File.ReadAllText(Path.Combine(Dir("b"), ".state", "applied-bundle.sha256")));
    }

    [Fact]
    public async Task Export_writes_to_stdout_by_default_and_the_digest_checks_with_sha256sum_of_line_5_on()
    {
        var export = await Run(Source(), "export");
        Assert.Equal(0, export.Exit);
        var lines = export.Out.Split('\n');
        Assert.Equal("# outgate-bundle v1", lines[0]);
        var body = string.Join('\n', lines.Skip(4));
        Assert.Equal(lines[1]["# sha256: ".Length..], Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
    }

    [Fact]
    public async Task Check_exits_1_when_the_bundle_would_change_the_policy_and_0_when_it_would_not()
    {
        var bundle = Path.Combine(_root, "p.bundle");
        Assert.Equal(0, (await Run(Source(), "export", "-o", bundle)).Exit);
        Write("b", "outgate.toml", "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"22\"\n");
        Write("b", "rules.d/99-old.toml", Dns);
        var before = Snapshot(Dir("b"));

        var check = await Run(Dir("b"), "apply", bundle, "--check");
        Assert.Equal(BundleExitCodes.WouldChange, check.Exit);
        Assert.Contains("changed file outgate.toml", check.Out);
        Assert.Contains("new file rules.d/10-dns.toml", check.Out);
        Assert.Contains("removed file rules.d/99-old.toml", check.Out);
        Assert.Contains("- allow out 22", check.Out);
        Assert.Contains("+ allow out 443/tcp", check.Out);
        Assert.Contains("default outgoing: allow -> deny", check.Out);
        Assert.Equal(before, Snapshot(Dir("b")));

        Assert.Equal(0, (await Run(Dir("b"), "apply", bundle)).Exit);
        Assert.False(File.Exists(Path.Combine(Dir("b"), "rules.d", "99-old.toml")));
        Assert.Equal(BundleExitCodes.Ok, (await Run(Dir("b"), "apply", bundle, "--check")).Exit);
        var backups = Directory.GetDirectories(Path.Combine(Dir("b"), ".state", "bundle-backup"));
        Assert.Equal(Dns, File.ReadAllText(Path.Combine(Assert.Single(backups), "rules.d", "99-old.toml")));
    }

    [Fact]
    public async Task A_tampered_bundle_exits_2_and_changes_nothing()
    {
        var bundle = Path.Combine(_root, "p.bundle");
        Assert.Equal(0, (await Run(Source(), "export", "-o", bundle)).Exit);
        File.WriteAllText(bundle, File.ReadAllText(bundle).Replace("443", "444"));
        Write("b", "outgate.toml", Dns);
        var before = Snapshot(Dir("b"));

        foreach (var args in new[] { new[] { "apply", bundle }, ["apply", bundle, "--check"] })
        {
            var r = await Run(Dir("b"), args);
            Assert.Equal(BundleExitCodes.Invalid, r.Exit);
            Assert.Contains("the bundle was edited or truncated", r.Err);
            Assert.Contains("Nothing was changed", r.Err);
        }
        Assert.Equal(before, Snapshot(Dir("b")));
    }

    [Fact]
    public async Task A_bundle_with_an_invalid_policy_exits_2_with_bundle_positions_and_changes_nothing()
    {
        const string Text = "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = x\n";
        var body = $"# --- file: outgate.toml ({Encoding.UTF8.GetByteCount(Text)} bytes) ---\n{Text}\n# --- end: 1 files ---\n";
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var bundle = Path.Combine(_root, "bad.bundle");
        File.WriteAllText(bundle, $"# outgate-bundle v1\n# sha256: {digest}\n# created: 2026-11-26T03:30:00Z\n# host: h\n{body}");
        Write("b", "outgate.toml", Dns);
        var before = Snapshot(Dir("b"));

        var r = await Run(Dir("b"), "apply", bundle);

        Assert.Equal(BundleExitCodes.Invalid, r.Exit);
        Assert.Contains($"{bundle}:9:", r.Err);
        Assert.Contains("(in outgate.toml line 4)", r.Err);
        Assert.Equal(before, Snapshot(Dir("b")));
    }

    [Fact]
    public async Task A_missing_bundle_file_exits_2()
    {
        var r = await Run(Dir("b"), "apply", Path.Combine(_root, "nope.bundle"));
        Assert.Equal(BundleExitCodes.Invalid, r.Exit);
        Assert.Contains("cannot read the bundle", r.Err);
    }

    [Fact]
    public async Task Confirm_also_confirms_a_pending_mode_change()
    {
        var config = Dir("c");
        var guard = new ModeRollbackGuard(new FirewallPaths(config, Path.Combine(config, ".state")));
        Directory.CreateDirectory(Path.Combine(config, ".state"));
        File.WriteAllText(guard.Marker, $"{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds()}\ntoken\nlearn\n/nonexistent.sock\n");

        Assert.Equal(0, (await Run(config, "confirm")).Exit);
        Assert.False(guard.IsPending);
        Assert.Equal(1, (await Run(config, "confirm")).Exit);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

using Outgate.Policy.Import;

namespace Outgate.Policy.Tests.Import;

public class UfwStatusImporterTests
{
    private static IReadOnlyList<string> Commands(ImportedPolicy policy) => policy.Rules.Select(r => r.Rule.ToUfwString()).ToArray();

    [Fact]
    public void Verbose_output_gives_rules_defaults_and_logging()
    {
        var imported = UfwStatusImporter.Import(ImportFixtures.Read("ufw/status/verbose.txt"));
        Assert.Equal(LogLevel.Low, imported.Logging);
        Assert.Equal(DefaultPolicy.Deny, imported.Defaults[Direction.In]);
        Assert.Equal(DefaultPolicy.Allow, imported.Defaults[Direction.Out]);
        Assert.Equal(DefaultPolicy.Disabled, imported.Defaults[Direction.Forward]);
        var commands = Commands(imported);
        Assert.Contains("allow 22/tcp comment 'ssh'", commands);
        Assert.Contains("allow 80,443/tcp comment 'app Apache Full'", commands);
        Assert.Contains("limit from 192.168.1.0/24 to any port 2222 proto tcp", commands);
        Assert.Contains("allow in on eth1 from 10.0.0.0/8", commands);
        Assert.Contains("deny out to 10.0.0.5 port 5432 proto tcp comment 'no db'", commands);
        Assert.Contains("allow out on wg0 to any port 53", commands);
        Assert.Contains("deny out log 25/tcp", commands);
        Assert.Contains("route allow in on tun0 from 10.9.0.0/24", commands);
        Assert.Contains("allow out to 2001:db8::10 port 443 proto tcp", commands);
        // The (v6) twins of rules without addresses are the same Outgate rule.
        Assert.Equal(commands.Count, commands.Distinct().Count());
        Assert.False(imported.SkippedAny, string.Join('\n', imported.Notes));
    }

    [Fact]
    public void Numbered_output_reads_the_out_marker_and_reports_app_profiles_it_cannot_resolve()
    {
        var imported = UfwStatusImporter.Import(ImportFixtures.Read("ufw/status/numbered.txt"));
        Assert.Equal(["allow 22/tcp", "allow out 443/tcp"], Commands(imported));
        var skipped = imported.Notes.Where(n => n.Kind == ImportNoteKind.Skipped).ToArray();
        Assert.Equal([7, 8], skipped.Select(n => n.Line));
        Assert.All(skipped, n => Assert.Contains("application profile", n.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void App_profiles_given_with_status_output_resolve_app_rules()
    {
        var profiles = ImportFixtures.Ufw("desktop").ApplicationProfiles;
        var imported = UfwStatusImporter.Import(ImportFixtures.Read("ufw/status/numbered.txt"), profiles);
        Assert.Contains("allow from 192.168.0.0/16 to any port 22 proto tcp comment 'app OpenSSH'", Commands(imported));
        Assert.Single(imported.Notes, n => n.Kind == ImportNoteKind.Skipped);
    }

    [Fact]
    public void Inactive_status_has_no_rules_and_no_error()
    {
        var imported = UfwStatusImporter.Import(ImportFixtures.Read("ufw/status/inactive.txt"));
        Assert.Empty(imported.Rules);
        Assert.False(imported.SkippedAny);
    }

    [Fact]
    public void Other_text_is_not_status_output()
    {
        var ex = Assert.Throws<ImportInputException>(() => UfwStatusImporter.Import(ImportFixtures.Read("ufw/bad/not-status.txt")));
        Assert.Equal(1, ex.Line);
        Assert.Contains("ufw status", ex.Hint, StringComparison.Ordinal);
    }
}

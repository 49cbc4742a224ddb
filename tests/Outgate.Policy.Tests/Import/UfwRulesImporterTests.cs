using Outgate.Policy.Import;

namespace Outgate.Policy.Tests.Import;

public class UfwRulesImporterTests
{
    private static IReadOnlyList<string> Commands(ImportedPolicy policy) => policy.Rules.Select(r => r.Rule.ToUfwString()).ToArray();

    [Fact]
    public void Desktop_tuples_translate_in_ufw_order_with_ipv6_rules_placed_where_they_stood()
    {
        var imported = UfwRulesImporter.Import(ImportFixtures.Ufw("desktop"));
        var commands = Commands(imported);
        Assert.Equal(
        [
            "deny from 2001:db8:bad::/48 to any port 22 proto tcp comment 'known scanner'",
            "allow 22/tcp comment 'app OpenSSH'",
            "limit from 192.168.1.0/24 to any port 2222 proto tcp comment 'ssh from lan'",
            "allow out on wg0 to any port 53",
            "allow out to 2001:db8::10 port 443 proto tcp",
            "deny out log 25/tcp",
            "allow 80,443/tcp comment 'app Apache Full'",
            "allow 137,138/udp comment 'app Samba'",
            "allow 139,445/tcp comment 'app Samba'",
            "allow in on eth0 to any port 1194 proto udp",
            "route allow in on tun0 log-all from 10.9.0.0/24",
            "reject 6000:6007/tcp comment 'X server `test`'",
        ], commands);
    }

    [Fact]
    public void Defaults_and_logging_come_from_default_ufw_and_ufw_conf()
    {
        var imported = UfwRulesImporter.Import(ImportFixtures.Ufw("desktop"));
        Assert.Equal(LogLevel.Medium, imported.Logging);
        Assert.Equal(DefaultPolicy.Deny, imported.Defaults[Direction.In]);
        Assert.Equal(DefaultPolicy.Reject, imported.Defaults[Direction.Out]);
        // A routed rule exists, so ufw's forward DROP means something and is kept.
        Assert.Equal(DefaultPolicy.Deny, imported.Defaults[Direction.Forward]);
    }

    [Fact]
    public void Forward_drop_without_routed_rules_keeps_outgates_disabled_routed_default_with_a_note()
    {
        var imported = UfwRulesImporter.Import(ImportFixtures.Ufw("server"));
        Assert.False(imported.Defaults.ContainsKey(Direction.Forward));
        Assert.Equal(DefaultPolicy.Deny, imported.Defaults[Direction.Out]);
        Assert.Contains(imported.Notes, n => n.Kind == ImportNoteKind.Adjusted && n.Item.StartsWith("DEFAULT_FORWARD_POLICY", StringComparison.Ordinal));
        Assert.Contains(imported.Notes, n => n.Item == "IPV6=no");
        Assert.False(imported.SkippedAny);
        Assert.Equal(5, imported.Rules.Count);
    }

    [Fact]
    public void Untranslatable_items_are_reported_with_their_source_line()
    {
        var imported = UfwRulesImporter.Import(ImportFixtures.Ufw("desktop"));
        var skipped = imported.Notes.Where(n => n.Kind == ImportNoteKind.Skipped).ToArray();
        Assert.Equal(2, skipped.Length);
        Assert.Contains(skipped, n => n.Line == 45 && n.Reason.Contains("output interface", StringComparison.Ordinal) && n.Source.EndsWith("user.rules", StringComparison.Ordinal));
        Assert.Contains(skipped, n => n.Line == 54 && n.Item.Contains("Unknown App", StringComparison.Ordinal) && n.Reason.Contains("applications.d", StringComparison.Ordinal));
        Assert.True(imported.SkippedAny);
    }

    [Theory]
    [InlineData("ufw/bad/short-tuple.rules", 1, "malformed ufw tuple")]
    [InlineData("ufw/bad/bad-direction.rules", 2, "unknown direction")]
    [InlineData("ufw/bad/bad-comment.rules", 1, "not hex-encoded")]
    public void Malformed_rule_files_throw_the_import_error_with_file_and_line(string fixture, int line, string problem)
    {
        var ex = Assert.Throws<ImportInputException>(() => UfwRulesImporter.Import(new UfwImportInput { UserRules = ImportFixtures.Read(fixture) }));
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.EndsWith(fixture.Split('/')[^1], ex.File, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.Hint));
    }

    [Fact]
    public void Bad_loglevel_is_an_error_naming_the_levels()
    {
        var input = ImportFixtures.Ufw("server") with { UfwConf = ImportFixtures.Read("ufw/bad/bad-loglevel.conf") };
        var ex = Assert.Throws<ImportInputException>(() => UfwRulesImporter.Import(input));
        Assert.Contains("loud", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_rule_files_at_all_is_an_error()
        => Assert.Throws<ImportInputException>(() => UfwRulesImporter.Import(new UfwImportInput()));

    [Fact]
    public void Binary_garbage_is_refused_before_parsing()
    {
        var ex = Assert.Throws<ImportInputException>(() => ImportFixtures.Read("ufw/bad/garbage.bin"));
        Assert.Contains("binary", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_files_are_refused_without_decoding_them()
    {
        var ex = Assert.Throws<ImportInputException>(() => ImportSourceFile.FromBytes("huge.rules", new byte[ImportSourceFile.MaxBytes + 1]));
        Assert.Contains("more than", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused_with_its_line()
    {
        var ex = Assert.Throws<ImportInputException>(() => ImportSourceFile.FromBytes("x.rules", "line one\nline two \xff"u8.ToArray().Concat(new byte[] { 0xc3, 0x28 }).ToArray()));
        Assert.Equal(2, ex.Line);
    }
}

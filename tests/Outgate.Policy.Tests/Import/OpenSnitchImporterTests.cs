using Outgate.Policy.Import;

namespace Outgate.Policy.Tests.Import;

public class OpenSnitchImporterTests
{
    private static readonly ImportedPolicy Imported = OpenSnitchImporter.Import(ImportFixtures.OpenSnitch());

    private static IReadOnlyList<Rule> RulesOf(string name)
        => Imported.Rules.Where(r => r.Rule.Comment == $"opensnitch {name}").Select(r => r.Rule).ToArray();

    [Fact]
    public void Deny_and_precedence_rules_come_first_in_name_order_then_allow_rules_in_reverse_name_order()
    {
        var names = Imported.Rules.Select(r => r.Rule.Comment!["opensnitch ".Length..]).Distinct().ToArray();
        Assert.Equal(
        [
            "000-allow-localhost",
            "000-block-ads",
            "001-allow-system-cmds",
            "deny-always-simple-telemetry-example-com",
            "allow-always-simple-usr-lib-firefox-firefox",
            "allow-always-list-curl-github",
            "allow-always-apt-http",
            "allow-30m-ssh-to-backup",
        ], names);
        Assert.All(Imported.Rules, r => Assert.Equal(Direction.Out, r.Rule.Direction));
    }

    [Fact]
    public void A_host_regexp_for_a_domain_and_its_subdomains_becomes_a_wildcard_and_an_exact_rule()
    {
        var rules = RulesOf("allow-always-list-curl-github");
        Assert.Equal(["*.github.com", "github.com"], rules.Select(r => r.ToDomain!.ToString()).Order(StringComparer.Ordinal));
        Assert.All(rules, r =>
        {
            Assert.Equal("/usr/bin/curl", r.Subject!.App);
            Assert.Equal(Protocol.Tcp, r.Protocol);
            Assert.Equal(PortSpec.Single(443), r.ToPort);
            Assert.Equal(RuleAction.Allow, r.Action);
        });
    }

    [Fact]
    public void Regexp_alternatives_expand_and_ports_without_protocol_split_into_tcp_and_udp()
    {
        var rules = RulesOf("001-allow-system-cmds");
        // 2 paths × 2 users × (tcp, udp)
        Assert.Equal(8, rules.Count);
        Assert.Equal(["/lib/systemd/systemd-timesyncd", "/usr/sbin/ntpd"], rules.Select(r => r.Subject!.App!).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["0", "115"], rules.Select(r => r.Subject!.User!).Distinct().Order(StringComparer.Ordinal));
        Assert.All(rules, r => Assert.Equal("53,123", r.ToPort!.ToString()));
    }

    [Fact]
    public void A_lists_operator_becomes_one_list_rule_per_file_of_the_directory()
    {
        var rules = RulesOf("000-block-ads");
        Assert.Equal(["hosts.txt", "plain.list"], rules.Select(r => Path.GetFileName(r.ToList!)));
        Assert.All(rules, r => Assert.Equal(RuleAction.Reject, r.Action));
    }

    [Fact]
    public void Network_ip_command_user_and_protocol_operands_map_to_rule_fields()
    {
        Assert.Equal("127.0.0.0/8", AddressSyntax.Format(Assert.Single(RulesOf("000-allow-localhost")).To));
        var apt = Assert.Single(RulesOf("allow-always-apt-http"));
        Assert.Equal("/usr/lib/apt/methods/http", apt.Subject!.CommandLine);
        Assert.Equal("42", apt.Subject.User);
        Assert.Equal(Protocol.Tcp, apt.Protocol);
        Assert.Equal("6f1c2e3a-1111-4222-8333-944455556666", apt.BootId);
        Assert.Equal("telemetry.example.com", Assert.Single(RulesOf("deny-always-simple-telemetry-example-com")).ToDomain!.ToString());
    }

    [Theory]
    [InlineData("allow-always-disabled-thing", "disabled")]
    [InlineData("allow-once-simple-wget", "once")]
    [InlineData("allow-always-simple-pid-4242", "process ids")]
    [InlineData("allow-always-env-proxy", "environment")]
    [InlineData("deny-from-tmp", "not a fixed set")]
    [InlineData("000-deny-bad-ips", "regular expressions")]
    public void Rules_that_do_not_map_are_reported_with_file_name_and_reason(string name, string reason)
    {
        var note = Assert.Single(Imported.Notes, n => n.Kind == ImportNoteKind.Skipped && n.Item == $"rule '{name}'");
        Assert.Contains(reason, note.Reason, StringComparison.Ordinal);
        Assert.EndsWith(".json", note.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_range_becomes_a_ufw_range_with_tcp_and_udp_rules_expiring_30_minutes_after_the_import()
    {
        var rules = RulesOf("allow-30m-ssh-to-backup");
        Assert.Equal([Protocol.Tcp, Protocol.Udp], rules.Select(r => r.Protocol));
        Assert.All(rules, r =>
        {
            Assert.Equal("22:23", r.ToPort!.ToString());
            Assert.Equal("192.0.2.10/32", AddressSyntax.Format(r.To) + (AddressSyntax.Format(r.To).Contains('/') ? "" : "/32"));
            Assert.Equal(new DateTimeOffset(2026, 11, 26, 3, 30, 0, TimeSpan.Zero), r.Expires);
        });
    }

    [Fact]
    public void Until_restart_without_a_boot_id_is_skipped()
    {
        var imported = OpenSnitchImporter.Import(ImportFixtures.OpenSnitch() with { BootId = null });
        Assert.Contains(imported.Notes, n => n.Item == "rule 'allow-always-apt-http'" && n.Reason.Contains("boot", StringComparison.Ordinal));
    }

    [Fact]
    public void Timed_durations_expire_from_the_import_time()
    {
        var file = ImportSourceFile.FromText("t.json", """
            {"name": "t", "enabled": true, "action": "allow", "duration": "1h",
             "operator": {"type": "simple", "operand": "process.path", "data": "/usr/bin/ssh"}}
            """);
        var now = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
        var imported = OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [file], Now = now });
        Assert.Equal(now.AddHours(1), Assert.Single(imported.Rules).Rule.Expires);
    }

    [Theory]
    [InlineData("^example\\.com$", new[] { "example.com" })]
    [InlineData("^.*\\.example\\.com$", new[] { "*.example.com" })]
    [InlineData(".*\\.github.com", new[] { "*.github.com" })]
    [InlineData("^(a\\.example|b\\.example)$", new[] { "a.example", "b.example" })]
    public void Host_regexps_that_mean_fixed_names_convert(string pattern, string[] expected)
    {
        var file = HostRegexpRule(pattern);
        var imported = OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [file] });
        Assert.Equal(expected, imported.Rules.Select(r => r.Rule.ToDomain!.ToString()));
    }

    [Theory]
    [InlineData("^ads[0-9]+\\.example\\.com$")]
    [InlineData("(?i)example")]
    [InlineData("^$")]
    public void Real_regexps_are_reported_not_guessed(string pattern)
    {
        var file = HostRegexpRule(pattern);
        var imported = OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [file] });
        Assert.Empty(imported.Rules);
        Assert.True(imported.SkippedAny);
    }

    [Theory]
    [InlineData("truncated.json", "not valid JSON")]
    [InlineData("wrong-type-enabled.json", "'enabled' is the string")]
    [InlineData("wrong-type-name.json", "'name' is the number 42")]
    [InlineData("array.json", "not a JSON object")]
    [InlineData("no-operator.json", "missing 'operator'")]
    [InlineData("list-not-array.json", "operator.list is an object")]
    public void Malformed_rule_files_throw_the_import_error(string file, string problem)
    {
        var source = ImportFixtures.Read($"opensnitch/bad/{file}");
        var ex = Assert.Throws<ImportInputException>(() => OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [source] }));
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.EndsWith(file, ex.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_json_names_the_line()
    {
        var ex = Assert.Throws<ImportInputException>(() => OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [ImportFixtures.Read("opensnitch/bad/truncated.json")] }));
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Unknown_operands_are_skipped_not_fatal()
    {
        var imported = OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [ImportFixtures.Read("opensnitch/bad/unknown-operand.json")] });
        Assert.Contains("unknown operand 'dest.geoip'", Assert.Single(imported.Notes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_operators_are_refused()
    {
        var nested = new System.Text.StringBuilder("{\"type\": \"simple\", \"operand\": \"true\"}");
        for (var i = 0; i < 40; i++)
        {
            nested.Insert(0, "{\"type\": \"list\", \"operand\": \"list\", \"list\": [").Append("]}");
        }

        var file = ImportSourceFile.FromText("deep.json", $"{{\"name\": \"deep\", \"action\": \"allow\", \"operator\": {nested}}}");
        Assert.Throws<ImportInputException>(() => OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [file] }));
    }

    private static ImportSourceFile HostRegexpRule(string pattern)
    {
        var data = System.Text.Json.JsonSerializer.Serialize(pattern, TestJson.Default.String);
        return ImportSourceFile.FromText("h.json",
            "{\"name\": \"h\", \"enabled\": true, \"action\": \"deny\", \"operator\": {\"type\": \"regexp\", \"operand\": \"dest.host\", \"data\": " + data + "}}");
    }
}

using CsCheck;
using Outgate.Policy.Import;

namespace Outgate.Policy.Tests.Import;

/// <summary>Whatever bytes arrive, the importers either translate them or throw <see cref="ImportInputException"/>: nothing else.</summary>
public class ImportGarbageTests
{
    private static readonly string[] UfwWords =
    [
        "### tuple ###", "allow", "deny", "reject", "limit", "route:allow", "allow_log", "deny_log-all", "tcp", "udp", "any", "ipv6",
        "22", "80,443", "6000:6007", "0.0.0.0/0", "::/0", "10.0.0.0/8", "2001:db8::/32", "in", "out", "in_eth0", "out_wg0",
        "in_eth0!out_eth1", "comment=737368", "comment=zz", "OpenSSH", "Apache%20Full", "-", "\n", " ", "-A ufw-user-input", "COMMIT",
        "Status: active", "ALLOW IN", "DENY OUT", "ALLOW FWD", "Anywhere", "(v6)", "on", "#", "(out)", "[ 1]", "Logging: on (low)",
        "Default: deny (incoming), allow (outgoing), disabled (routed)", "LOGLEVEL=", "ENABLED=yes", "DEFAULT_INPUT_POLICY=\"DROP\"", "ÿ", "\t",
    ];

    private static readonly string[] JsonWords =
    [
        "{", "}", "[", "]", ",", ":", "\"name\"", "\"enabled\"", "\"precedence\"", "\"action\"", "\"duration\"", "\"operator\"", "\"type\"",
        "\"operand\"", "\"data\"", "\"list\"", "\"sensitive\"", "\"simple\"", "\"regexp\"", "\"list\"", "\"lists\"", "\"network\"", "\"range\"",
        "\"allow\"", "\"deny\"", "\"reject\"", "\"always\"", "\"once\"", "\"30m\"", "\"until restart\"", "\"process.path\"", "\"dest.host\"",
        "\"dest.ip\"", "\"dest.port\"", "\"protocol\"", "\"user.id\"", "\"lists.domains\"", "\"/usr/bin/curl\"", "\"^(.*\\\\.)?a\\\\.com$\"",
        "\"10.0.0.0/8\"", "\"443\"", "\"1-2\"", "\"tcp\"", "true", "false", "null", "42", "-1", "1e999", "\"\\u0000\"",
    ];

    private static Gen<string> Sentences(string[] words) => Gen.OneOf(words).Array[0, 60].Select(w => string.Join(' ', w));

    [Fact]
    public void Ufw_rule_files_of_word_salad_never_throw_anything_else()
        => Sentences(UfwWords).Array[1, 8].Select(lines => string.Join('\n', lines)).Sample(text =>
        {
            try
            {
                var file = ImportSourceFile.FromText("user.rules", text);
                var imported = UfwRulesImporter.Import(new UfwImportInput { UserRules = file, UfwConf = file, DefaultsFile = file, ApplicationProfiles = [file] });
                _ = PolicyImport.ApplyTo(PolicyFileSet.FromFiles("/etc/outgate", []).FileSet!, imported);
            }
            catch (ImportInputException)
            {
            }
        }, iter: 2000);

    [Fact]
    public void Ufw_status_word_salad_never_throws_anything_else()
        => Sentences(UfwWords).Array[1, 8].Select(lines => "Status: active\n" + string.Join('\n', lines)).Sample(text =>
        {
            try
            {
                _ = UfwStatusImporter.Import(ImportSourceFile.FromText("status.txt", text));
            }
            catch (ImportInputException)
            {
            }
        }, iter: 2000);

    [Fact]
    public void OpenSnitch_json_salad_never_throws_anything_else()
        => Gen.OneOf(JsonWords).Array[0, 80].Select(w => string.Concat(w)).Sample(text =>
        {
            try
            {
                var imported = OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [ImportSourceFile.FromText("r.json", text)] });
                _ = PolicyImport.ApplyTo(PolicyFileSet.FromFiles("/etc/outgate", []).FileSet!, imported);
            }
            catch (ImportInputException)
            {
            }
        }, iter: 2000);

    [Fact]
    public void Arbitrary_bytes_never_throw_anything_else()
        => Gen.Byte.Array[0, 2000].Sample(bytes =>
        {
            try
            {
                var file = ImportSourceFile.FromBytes("x", bytes);
                _ = UfwRulesImporter.Import(new UfwImportInput { UserRules = file });
                _ = OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [file] });
                _ = UfwStatusImporter.Import(file);
            }
            catch (ImportInputException)
            {
            }
        }, iter: 2000);

    [Fact]
    public void Well_formed_opensnitch_rules_with_random_operands_never_throw()
    {
        var operands = new[] { "process.path", "process.command", "process.parent.path", "user.id", "user.name", "dest.host", "dest.ip", "dest.network", "dest.port", "protocol", "iface.out", "iface.in", "source.ip", "source.port", "lists.domains", "process.env.X", "true", "bogus" };
        var types = new[] { "simple", "regexp", "network", "range", "lists", "list", "weird" };
        var data = new[] { "/usr/bin/curl", "a.example", "*.x", "^(.*\\\\.)?a\\\\.com$", "10.0.0.0/8", "::1", "443", "1-2", "tcp", "icmp", "0", "root", "", "^(1|2)$", "a b", "99999", "/nonexistent" };
        Gen.Select(Gen.OneOf(operands), Gen.OneOf(types), Gen.OneOf(data)).Array[1, 4].Sample(items =>
        {
            var list = string.Join(',', items.Select(i => $"{{\"type\": \"{i.Item2}\", \"operand\": \"{i.Item1}\", \"data\": \"{i.Item3}\"}}"));
            var text = $"{{\"name\": \"r\", \"enabled\": true, \"action\": \"allow\", \"duration\": \"always\", \"operator\": {{\"type\": \"list\", \"operand\": \"list\", \"list\": [{list}]}}}}";
            var imported = OpenSnitchImporter.Import(new OpenSnitchImportInput { RuleFiles = [ImportSourceFile.FromText("r.json", text)], ListFiles = d => d == "/nonexistent" ? null : ["/etc/outgate/lists/a.txt"] });
            var result = PolicyImport.ApplyTo(PolicyFileSet.FromFiles("/etc/outgate", []).FileSet!, imported);
            Assert.True(imported.Rules.Count == 0 || result.Edit.Changed || result.SkippedAny);
        }, iter: 2000);
    }
}

using Outgate.Policy.Import;

namespace Outgate.Policy.Tests.Import;

public class PolicyImportTests
{
    private const string Existing = """
        # my policy: keep this comment
        logging = "low"

        [defaults]
        incoming = "deny"
        outgoing = "allow"
        routed = "disabled"

        # ssh from the office
        [[rule]]
        action = "allow"
        proto = "tcp"
        to_port = 22
        """;

    private static PolicyFileSet Load(string text)
    {
        var load = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", text)]);
        Assert.True(load.Succeeded, string.Join('\n', load.Errors));
        return load.FileSet;
    }

    [Fact]
    public void Imported_rules_append_after_existing_ones_and_the_existing_text_survives()
    {
        var result = PolicyImport.ApplyTo(Load(Existing), UfwRulesImporter.Import(ImportFixtures.Ufw("server")));
        var write = Assert.Single(result.Edit.Writes);
        Assert.StartsWith("# my policy: keep this comment\n", write.Text, StringComparison.Ordinal);
        Assert.Contains("# ssh from the office\n[[rule]]", write.Text, StringComparison.Ordinal);
        var reloaded = Load(write.Text!);
        // allow 22/tcp was already there; the other four are new.
        Assert.Equal(5, reloaded.Policy.Rules.Count);
        Assert.Equal(4, result.Added);
        Assert.Equal(DefaultPolicy.Deny, reloaded.Policy.Defaults.Outgoing);
        Assert.Equal(reloaded.Policy, result.Edit.FileSet!.Policy);
    }

    [Fact]
    public void Importing_twice_changes_nothing_the_second_time()
    {
        var imported = OpenSnitchImporter.Import(ImportFixtures.OpenSnitch());
        var once = PolicyImport.ApplyTo(Load(Existing), imported);
        var twice = PolicyImport.ApplyTo(once.Edit.FileSet!, imported);
        Assert.Equal(PolicyEditOutcome.Unchanged, twice.Edit.Outcome);
        Assert.Empty(twice.Edit.Writes);
        Assert.Equal(0, twice.Added);
    }

    [Fact]
    public void The_whole_desktop_import_validates_as_one_policy()
    {
        var result = PolicyImport.ApplyTo(Load(""), UfwRulesImporter.Import(ImportFixtures.Ufw("desktop")));
        var reloaded = Load(Assert.Single(result.Edit.Writes).Text!);
        Assert.Equal(12, reloaded.Policy.Rules.Count);
        Assert.Equal(LogLevel.Medium, reloaded.Policy.Logging);
        Assert.Equal(DefaultPolicy.Reject, reloaded.Policy.Defaults.Outgoing);
    }

    [Fact]
    public void A_rule_the_policy_refuses_is_reported_and_the_others_are_added()
    {
        var good = new Rule { Action = RuleAction.Allow, Direction = Direction.Out, ToPort = PortSpec.Single(443), Protocol = Protocol.Tcp };
        var bad = new Rule { Action = RuleAction.Allow, Direction = Direction.Out, ToPort = PortSpec.Single(80), Comment = "it's" };
        var imported = new ImportedPolicy { Rules = [new(bad, "x.json", 3), new(good, "x.json", 4), new(good, "y.json", 1)] };
        var result = PolicyImport.ApplyTo(Load(Existing), imported);
        Assert.Equal(1, result.Added);
        var note = Assert.Single(result.Notes);
        Assert.Equal(("x.json", 3, ImportNoteKind.Skipped), (note.Source, note.Line, note.Kind));
        Assert.Contains("quotes", note.Reason, StringComparison.Ordinal);
        Assert.Equal(2, Load(Assert.Single(result.Edit.Writes).Text!).Policy.Rules.Count);
    }
}

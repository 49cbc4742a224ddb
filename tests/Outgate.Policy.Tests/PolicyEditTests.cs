namespace Outgate.Policy.Tests;

public sealed class PolicyEditTests
{
    private static PolicyFileSet Commit(PolicyEditResult result)
    {
        Assert.True(result.Changed, result.Message + string.Join("\n", result.Errors));
        result.Commit();
        return result.FileSet!;
    }

    private static IEnumerable<string> CommentLines(string text)
        => text.Split('\n').Select(l => l.IndexOf('#', StringComparison.Ordinal) is var i and >= 0 ? l[i..] : null).OfType<string>();

    [Fact]
    public void Allow_delete_insert_keep_every_comment_and_the_untouched_text_byte_identical()
    {
        using var dir = new TempConfigDirectory();
        var original = TestData.Read("toml/handwritten.toml");
        dir.Write(PolicyFileSet.MainFileName, original);

        // allow: appended; the original text is an unchanged prefix
        var set = Commit(dir.Load().AddRule(Tokens.Rule("allow out 123/udp comment 'NTP'")));
        var afterAdd = File.ReadAllText(dir.Main);
        Assert.StartsWith(original, afterAdd, StringComparison.Ordinal);
        Assert.Equal(4, dir.Load().Policy.Rules.Count);

        // delete 2 (the web rule): exactly its table disappears, every comment except its own inline one stays
        set = Commit(dir.Load().DeleteRule(2));
        var afterDelete = File.ReadAllText(dir.Main);
        var webTable = "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nproto = \"tcp\"\nto_port = \"80,443\"   # http and https\n";
        Assert.Equal(afterAdd.Replace(webTable + "\n", "", StringComparison.Ordinal), afterDelete);
        Assert.Equal(CommentLines(afterAdd).Where(c => c != "# http and https"), CommentLines(afterDelete));

        // insert 1: the new table goes above rule 1's comment block, nothing else moves
        set = Commit(dir.Load().InsertRule(1, Tokens.Rule("deny out to 10.0.0.0/8")));
        var afterInsert = File.ReadAllText(dir.Main);
        Assert.Equal(CommentLines(afterDelete), CommentLines(afterInsert));
        Assert.Contains("[[rule]]\naction = \"deny\"\ndirection = \"out\"\nto = \"10.0.0.0/8\"\n\n# --- DNS only through the VPN ---\n[[rule]]", afterInsert, StringComparison.Ordinal);

        Assert.Equal(
            [Tokens.Rule("deny out to 10.0.0.0/8"), Tokens.Rule("allow out on tun0 to any port 53 proto udp comment 'VPN DNS'"), Tokens.Rule("allow from 10.0.0.0/8 to any port 22 proto tcp"), Tokens.Rule("allow out 123/udp comment 'NTP'")],
            dir.Load().Policy.Rules);
        Assert.Equal(set.Policy, dir.Load().Policy);
    }

    [Fact]
    public void Default_and_logging_replace_only_the_value_token()
    {
        using var dir = new TempConfigDirectory();
        var original = TestData.Read("toml/handwritten.toml");
        dir.Write(PolicyFileSet.MainFileName, original);
        var result = dir.Load().SetDefault(Direction.Out, DefaultPolicy.Allow);
        Assert.Equal("Default outgoing policy changed to 'allow'\n(be sure to update your rules accordingly)", result.Message);
        Commit(result);
        Commit(dir.Load().SetLogging(LogLevel.High));
        var expected = original
            .Replace("outgoing = \"deny\"    # strict egress", "outgoing = \"allow\"    # strict egress", StringComparison.Ordinal)
            .Replace("logging = \"medium\"   # medium", "logging = \"high\"   # medium", StringComparison.Ordinal);
        Assert.Equal(expected, File.ReadAllText(dir.Main));
    }

    [Fact]
    public void Missing_keys_and_tables_are_added()
    {
        using var dir = new TempConfigDirectory();
        dir.Write(PolicyFileSet.MainFileName, "# only a comment\n\n[[rule]]\naction = \"allow\"\nto_port = 22\n");
        Commit(dir.Load().SetDefault(Direction.Out, DefaultPolicy.Deny));
        Commit(dir.Load().SetDefault(Direction.Forward, DefaultPolicy.Deny));
        Commit(dir.Load().SetLogging(LogLevel.Off));
        var text = File.ReadAllText(dir.Main);
        Assert.Equal("# only a comment\n\nlogging = \"off\"\n\n[defaults]\noutgoing = \"deny\"\nrouted = \"deny\"\n\n[[rule]]\naction = \"allow\"\nto_port = 22\n", text);
        var policy = dir.Load().Policy;
        Assert.Equal(new Defaults { Outgoing = DefaultPolicy.Deny, Routed = DefaultPolicy.Deny }, policy.Defaults);
        Assert.Equal(LogLevel.Off, policy.Logging);
    }

    [Fact]
    public void First_edit_in_an_empty_directory_creates_outgate_toml()
    {
        using var dir = new TempConfigDirectory();
        var config = Path.Combine(dir.Path, "etc", "outgate");
        var set = PolicyFileSet.Load(config).FileSet!;
        Commit(set.SetDefault(Direction.Out, DefaultPolicy.Deny));
        set = PolicyFileSet.Load(config).FileSet!;
        Commit(set.AddRule(Tokens.Rule("allow out 443/tcp")));
        var reloaded = PolicyFileSet.Load(config).FileSet!;
        Assert.Equal(DefaultPolicy.Deny, reloaded.Policy.Defaults.Outgoing);
        Assert.Equal([Tokens.Rule("allow out 443/tcp")], reloaded.Policy.Rules);
    }

    [Fact]
    public void Adding_an_existing_rule_is_skipped_like_ufw()
    {
        using var dir = new TempConfigDirectory();
        var set = Commit(dir.Load().AddRule(Tokens.Rule("allow 22")));
        var again = set.AddRule(Tokens.Rule("allow 22"));
        Assert.Equal(PolicyEditOutcome.Unchanged, again.Outcome);
        Assert.Equal("Skipping adding existing rule\nSkipping adding existing rule (v6)", again.Message);
        Assert.Empty(again.Writes);
    }

    [Fact]
    public void Ufw_messages_for_both_families()
    {
        using var dir = new TempConfigDirectory();
        var set = dir.Load();
        Assert.Equal("Rule added\nRule added (v6)", set.AddRule(Tokens.Rule("allow out 443/tcp")).Message);
        Assert.Equal("Rule added", set.AddRule(Tokens.Rule("allow out to 10.0.0.1")).Message);
        Assert.Equal("Rule added (v6)", set.AddRule(Tokens.Rule("allow out to 2001:db8::1")).Message);
    }

    [Fact]
    public void Numbering_spans_all_files_and_edits_land_in_the_file_holding_the_rule()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "[[rule]]\naction = \"allow\"\nto_port = 1\n");
        dir.Write("rules.d/10-a.toml", "# drop-in\n[[rule]]\naction = \"allow\"\nto_port = 2\n\n[[rule]]\naction = \"allow\"\nto_port = 3\n");
        Commit(dir.Load().DeleteRule(3));
        Assert.Equal("# drop-in\n[[rule]]\naction = \"allow\"\nto_port = 2\n", File.ReadAllText(dir.DropIn("10-a.toml")));
        Commit(dir.Load().InsertRule(2, Tokens.Rule("deny 5")));
        Assert.Equal("[[rule]]\naction = \"deny\"\nto_port = 5\n\n# drop-in\n[[rule]]\naction = \"allow\"\nto_port = 2\n", File.ReadAllText(dir.DropIn("10-a.toml")));
        Assert.Equal([1, 5, 2], dir.Load().Policy.Rules.Select(r => r.ToPort!.Ranges[0].First));
        Commit(dir.Load().AddRule(Tokens.Rule("allow 7")));
        Assert.Equal([1, 7, 5, 2], dir.Load().Policy.Rules.Select(r => r.ToPort!.Ranges[0].First));
    }

    [Fact]
    public void Delete_by_rule_ignores_the_comment_and_reports_missing_rules()
    {
        using var dir = new TempConfigDirectory();
        Commit(dir.Load().AddRule(Tokens.Rule("allow out 443/tcp comment 'web'")));
        var missing = dir.Load().DeleteRule(Tokens.Rule("allow out 80/tcp"));
        Assert.Equal(PolicyEditOutcome.NotFound, missing.Outcome);
        Assert.Equal("ERROR: Could not delete non-existent rule", missing.Message);
        Commit(dir.Load().DeleteRule(Tokens.Rule("allow out 443/tcp")));
        Assert.Empty(dir.Load().Policy.Rules);
    }

    [Fact]
    public void Positions_out_of_range_are_not_found()
    {
        using var dir = new TempConfigDirectory();
        Commit(dir.Load().AddRule(Tokens.Rule("allow 22")));
        Assert.Equal("ERROR: Could not find rule '2'", dir.Load().DeleteRule(2).Message);
        Assert.Equal("ERROR: Invalid position '3'", dir.Load().InsertRule(3, Tokens.Rule("allow 23")).Message);
        Assert.Equal(PolicyEditOutcome.NotFound, dir.Load().DeleteRule(0).Outcome);
    }

    [Fact]
    public void An_invalid_rule_is_never_written()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "# keep me\n");
        var result = dir.Load().AddRule(new Rule { Action = RuleAction.Allow, ToPort = new PortSpec([new PortRange(80, 90)]) });
        Assert.Equal(PolicyEditOutcome.Invalid, result.Outcome);
        Assert.Null(result.FileSet);
        result.Commit();
        Assert.Equal("# keep me\n", File.ReadAllText(dir.Main));
    }

    [Fact]
    public void An_edit_that_would_not_validate_is_refused()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "[[rule]]\naction = \"allow\"\nto_port = 22\n");
        var set = dir.Load();
        dir.Write("outgate.toml", "[[rule]]\naction = \"allow\"\nto_port = 22\n"); // unchanged on disk
        Assert.True(set.AddRule(Tokens.Rule("allow 23")).Changed);
        Assert.Equal(PolicyEditOutcome.Invalid, set.SetDefault(Direction.In, DefaultPolicy.Disabled).Outcome);
    }

    [Fact]
    public void Writes_are_atomic_and_leave_no_temp_files()
    {
        using var dir = new TempConfigDirectory();
        Commit(dir.Load().AddRule(Tokens.Rule("allow 22")));
        Assert.Equal(["outgate.toml"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Reset_backs_up_every_file_and_restores_defaults()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "logging = \"full\"\n[[rule]]\naction = \"allow\"\nto_port = 22\n");
        dir.Write("rules.d/a.toml", "[[rule]]\naction = \"allow\"\nto_port = 2\n");
        var result = dir.Load().Reset("20260101_000000");
        Assert.Contains("Backing up 'outgate.toml' to '" + dir.Main + ".20260101_000000'", result.Message, StringComparison.Ordinal);
        var set = Commit(result);
        Assert.Equal(FirewallPolicy.Default, set.Policy);
        Assert.Equal(FirewallPolicy.Default, dir.Load().Policy);
        Assert.True(File.Exists(dir.Main + ".20260101_000000"));
        Assert.True(File.Exists(dir.DropIn("a.toml.20260101_000000")));
        Assert.False(File.Exists(dir.DropIn("a.toml")));
    }

    [Fact]
    public void Apply_dispatches_parsed_commands()
    {
        using var dir = new TempConfigDirectory();
        var set = dir.Load();
        foreach (var line in new[] { "default deny outgoing", "allow out 443/tcp", "allow out 53", "logging medium", "insert 1 allow out 80/tcp", "delete 3" })
        {
            set = Commit(set.Apply(UfwGrammar.ParseCommand(Tokens.Split(line)).Value!));
        }

        Assert.Equal([Tokens.Rule("allow out 80/tcp"), Tokens.Rule("allow out 443/tcp")], dir.Load().Policy.Rules);
        Assert.Equal(LogLevel.Medium, dir.Load().Policy.Logging);
    }

    [Fact]
    public void An_edit_reparses_only_the_file_it_changes()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "logging = \"low\"\n");
        dir.Write("rules.d/big.toml", string.Concat(Enumerable.Range(1, 2000).Select(i => $"[[rule]]\naction = \"allow\"\nto_port = {i}\n\n")));
        var set = dir.Load();
        var edit = set.SetLogging(LogLevel.Medium);
        Assert.True(edit.Changed);
        Assert.Same(set.Loaded[1], edit.FileSet!.Loaded[1]);
        Assert.NotSame(set.Loaded[0], edit.FileSet.Loaded[0]);
        Assert.Equal(2000, edit.FileSet.Policy.Rules.Count);
        Assert.Equal(LogLevel.Medium, edit.FileSet.Policy.Logging);
    }
}

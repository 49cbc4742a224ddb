namespace Outgate.Policy.Tests;

public sealed class TomlLoadTests
{
    private static IReadOnlyList<string> ErrorsOf(string testdataFile)
    {
        using var dir = new TempConfigDirectory();
        dir.Write(PolicyFileSet.MainFileName, TestData.Read("toml/" + testdataFile));
        var result = PolicyFileSet.Load(dir.Path);
        Assert.False(result.Succeeded);
        Assert.Null(result.FileSet);
        return result.Errors.Select(e => e.ToString().Replace(dir.Main, "outgate.toml", StringComparison.Ordinal)).ToArray();
    }

    [Fact]
    public void Missing_config_directory_gives_ufw_defaults()
    {
        var result = PolicyFileSet.Load(Path.Combine(Path.GetTempPath(), "og-does-not-exist-" + Guid.NewGuid()));
        Assert.True(result.Succeeded);
        Assert.Equal(FirewallPolicy.Default, result.FileSet!.Policy);
        Assert.Equal(DefaultPolicy.Deny, result.FileSet.Policy.Defaults.Incoming);
        Assert.Equal(DefaultPolicy.Allow, result.FileSet.Policy.Defaults.Outgoing);
        Assert.Equal(LogLevel.Low, result.FileSet.Policy.Logging);
        Assert.Empty(result.FileSet.Files);
    }

    [Fact]
    public void Hand_written_file_loads()
    {
        using var dir = new TempConfigDirectory();
        dir.Write(PolicyFileSet.MainFileName, TestData.Read("toml/handwritten.toml"));
        var set = dir.Load();
        Assert.Equal(LogLevel.Medium, set.Policy.Logging);
        Assert.Equal(new Defaults { Incoming = DefaultPolicy.Deny, Outgoing = DefaultPolicy.Deny, Routed = DefaultPolicy.Disabled }, set.Policy.Defaults);
        Assert.Equal(
            [Tokens.Rule("allow out on tun0 to any port 53 proto udp comment 'VPN DNS'"), Tokens.Rule("allow out to any port 80,443 proto tcp"), Tokens.Rule("allow from 10.0.0.0/8 to any port 22 proto tcp")],
            set.Policy.Rules);
        Assert.Equal(new RuleOrigin(dir.Main, 13, 1), set.Origins[0]);
    }

    [Fact]
    public void Drop_ins_load_after_the_main_file_in_name_order()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "[[rule]]\naction = \"allow\"\nto_port = 1\n");
        dir.Write("rules.d/20-b.toml", "[[rule]]\naction = \"allow\"\nto_port = 3\n");
        dir.Write("rules.d/10-a.toml", "[[rule]]\naction = \"allow\"\nto_port = 2\n[[rule]]\naction = \"deny\"\nto_port = 22\n");
        dir.Write("rules.d/ignored.txt", "not toml");
        var set = dir.Load();
        Assert.Equal([1, 2, 22, 3], set.Policy.Rules.Select(r => r.ToPort!.Ranges[0].First));
        Assert.Equal(dir.DropIn("10-a.toml"), set.Origins[2].File);
        Assert.Equal(4, set.Origins[2].Line);
    }

    [Fact]
    public void Broken_toml_reports_file_line_and_column()
    {
        var errors = ErrorsOf("broken-syntax.toml");
        Assert.StartsWith("outgate.toml:3:7: error: ", errors[0], StringComparison.Ordinal);
        Assert.Contains("(hint: ", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_are_errors()
    {
        var errors = ErrorsOf("duplicate-key.toml");
        Assert.Single(errors);
        Assert.StartsWith("outgate.toml:4:1: error: The key `rule.to_port` is already defined", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_and_tables_are_errors_with_did_you_mean()
    {
        var errors = ErrorsOf("unknown-keys.toml");
        Assert.Equal(
            [
                "outgate.toml:1:1: error: unknown key 'loging' (hint: did you mean 'logging'?)",
                "outgate.toml:4:1: error: unknown key 'incomming' (hint: did you mean 'incoming'?)",
                "outgate.toml:8:1: error: unknown key 'port' (hint: did you mean 'to_port'?)",
                "outgate.toml:9:1: error: unknown key 'protocl' (hint: did you mean 'proto'?)",
                "outgate.toml:11:1: error: unknown table 'rules' (hint: did you mean '[[rule]]'?)",
            ],
            errors);
    }

    [Fact]
    public void Wrong_types_are_errors_at_the_value()
    {
        var errors = ErrorsOf("wrong-types.toml");
        Assert.Equal(
            [
                "outgate.toml:1:11: error: 'logging' must be a string, not a boolean (hint: quote the value: logging = \"...\")",
                "outgate.toml:4:12: error: 'outgoing' must be a string, not an integer (hint: quote the value: outgoing = \"...\")",
                "outgate.toml:8:11: error: 'to_port' must be an integer or a string, not a boolean (hint: e.g. to_port = 443 or to_port = \"80,443\")",
                "outgate.toml:9:8: error: 'from' must be a string, not an integer (hint: quote the value: from = \"...\")",
                "outgate.toml:10:11: error: 'comment' must be a string, not an array (hint: quote the value: comment = \"...\")",
            ],
            errors);
    }

    [Fact]
    public void Bad_values_are_all_reported()
    {
        var errors = ErrorsOf("bad-values.toml");
        Assert.Contains("outgate.toml:1:11: error: invalid logging level 'loud' (hint: use off, on, low, medium, high or full)", errors);
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:4:12: error: invalid incoming policy 'disabled'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:8:10: error: invalid action 'permit'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:9:13: error: invalid direction 'sideways'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:10:13: error: Bad interface name 'eth0/1'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:11:9: error: unsupported protocol 'icmp'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:12:8: error: Bad address '10.0.0.300'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:13:11: error: Bad port '70000': ports are 1-65535", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:18:11: error: Bad port range '2000:1000'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:20:1: error: rule has no 'action'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:23:1: error: Must specify 'tcp' or 'udp' with multiple ports", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("outgate.toml:27:1: error: Mixed IP versions", StringComparison.Ordinal));
        Assert.Equal(12, errors.Count);
    }

    [Fact]
    public void Errors_in_several_files_are_all_reported()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "logging = \"loud\"\n");
        dir.Write("rules.d/a.toml", "[[rule]]\naction = \"allow\"\nto_port = 0\n");
        dir.Write("rules.d/b.toml", "logging = \"low\"\n[defaults]\nincoming = \"deny\"\n");
        var result = PolicyFileSet.Load(dir.Path);
        Assert.Equal(4, result.Errors.Count);
        Assert.Equal(dir.DropIn("a.toml"), result.Errors[1].File);
        Assert.Equal((3, 11), (result.Errors[1].Line, result.Errors[1].Column));
        Assert.Contains("only allowed in outgate.toml", result.Errors[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_bracket_rule_table_gets_a_hint()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "[rule]\naction = \"allow\"\n");
        var error = Assert.Single(PolicyFileSet.Load(dir.Path).Errors);
        Assert.Equal("write [[rule]] (double brackets) for each rule", error.Hint);
    }

    [Fact]
    public void Duplicate_keys_are_caught_in_huge_files_too()
    {
        using var dir = new TempConfigDirectory();
        var padding = string.Concat(Enumerable.Repeat("[[rule]]\naction = \"allow\"\nto_port = 22\ncomment = \"padding padding padding padding\"\n\n", 20_000));
        dir.Write("outgate.toml", "[defaults]\nincoming = \"deny\"\n\n" + padding + "[[rule]]\naction = \"allow\"\naction = \"deny\"\n\n[defaults]\noutgoing = \"deny\"\n");
        Assert.True(File.ReadAllText(dir.Main).Length > PolicyFileReader.ValidatingParserLimit);
        var errors = PolicyFileSet.Load(dir.Path).Errors.Select(e => e.ToString().Replace(dir.Main, "outgate.toml", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            [
                "outgate.toml:100006:1: error: duplicate key 'action' (first defined at line 100005) (hint: each key may appear once per table; remove or rename the duplicate)",
                "outgate.toml:100008:1: error: table [defaults] is defined twice (first at line 1) (hint: merge the two [defaults] tables)",
            ],
            errors);
    }
}

namespace Outgate.Policy.Tests.Dns;

public sealed class DnsSettingsTests
{
    private static PolicyLoadResult Load(string text, params PolicyFile[] more)
        => PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", text), .. more]);

    [Fact]
    public void Top_level_switches_load()
    {
        var result = Load("""
            dns-required = true
            block-doh = true
            dns-grace = "500ms"

            [[rule]]
            action = "allow"
            direction = "out"
            to_domain = "*.mozilla.org"
            to_port = 443
            proto = "tcp"

            [[rule]]
            action = "deny"
            direction = "out"
            to_list = "/etc/outgate/lists/ads.txt"
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var policy = result.FileSet!.Policy;
        Assert.True(policy.DnsRequired);
        Assert.True(policy.BlockDoh);
        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.DnsGrace);
        Assert.Equal(Tokens.Rule("allow out to domain *.mozilla.org port 443 proto tcp"), policy.Rules[0]);
        Assert.Equal(Tokens.Rule("deny out to list /etc/outgate/lists/ads.txt"), policy.Rules[1]);
    }

    [Fact]
    public void The_switches_are_also_accepted_in_the_daemon_table_and_default_off()
    {
        var result = Load("""
            [daemon]
            fail_open = false
            dns-required = true
            dns-grace = 10
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(result.FileSet!.Policy.DnsRequired);
        Assert.False(result.FileSet.Policy.BlockDoh);
        Assert.Equal(TimeSpan.FromSeconds(10), result.FileSet.Policy.DnsGrace);
        Assert.Equal(TimeSpan.FromSeconds(3), Load("").FileSet!.Policy.DnsGrace);
        Assert.False(Load("").FileSet!.Policy.DnsRequired);
    }

    [Theory]
    [InlineData("dns-required = \"yes\"", "'dns-required' must be true or false")]
    [InlineData("block-doh = 1", "'block-doh' must be true or false")]
    [InlineData("dns-grace = \"3 hours\"", "bad dns-grace '3 hours'")]
    [InlineData("dns-grace = \"2h\"", "bad dns-grace")]
    [InlineData("dns-grace = true", "'dns-grace' must be a duration string")]
    [InlineData("dns_required = true", "did you mean 'dns-required'?")]
    [InlineData("dns-required = true\n[daemon]\ndns-required = false", "'dns-required' is set twice")]
    [InlineData("[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_domain = \"a.*.example\"", "'*' is only allowed as the first label")]
    [InlineData("[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_list = \"ads.txt\"", "give an absolute path")]
    [InlineData("[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_list = \"/a\"\nto = \"10.0.0.1\"", "one destination")]
    [InlineData("[[rule]]\naction = \"allow\"\ndirection = \"out\"\ndomain = \"a.example\"", "did you mean 'to_domain'?")]
    public void Bad_values_are_reported_with_position(string text, string expected)
    {
        var result = Load(text);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.ToString().Contains(expected, StringComparison.Ordinal) && e.Line > 0);
    }

    [Fact]
    public void Drop_ins_may_not_set_the_switches()
    {
        var result = Load("", new PolicyFile("/etc/outgate/rules.d/x.toml", "block-doh = true\n"));
        Assert.Contains(result.Errors, e => e.Message.Contains("only allowed in outgate.toml", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dns-required on", true, null)]
    [InlineData("dns-required off", false, null)]
    [InlineData("block-doh on", null, true)]
    [InlineData("block-doh OFF", null, false)]
    public void Switch_commands_parse(string line, bool? dns, bool? doh)
    {
        var command = UfwGrammar.ParseCommand(Tokens.Split(line)).Value;
        if (dns is { } on)
        {
            Assert.Equal(new SetDnsRequiredCommand(on), command);
        }
        else
        {
            Assert.Equal(new SetBlockDohCommand(doh!.Value), command);
        }
    }

    [Theory]
    [InlineData("dns-required", "Usage: dns-required on|off")]
    [InlineData("dns-required maybe", "Invalid value 'maybe' for dns-required")]
    [InlineData("block-doh on now", "Unexpected token 'now'")]
    public void Bad_switch_commands_are_refused(string line, string expected)
        => Assert.Contains(expected, Tokens.Error(line).Message, StringComparison.Ordinal);

    [Fact]
    public void Switch_edits_replace_the_value_in_place_or_add_a_top_level_line()
    {
        const string text = "# my policy\nlogging = \"low\" # keep\n\n[defaults]\noutgoing = \"deny\"\n\n[daemon]\nblock-doh = false # why\n";
        var set = Load(text).FileSet!;
        var on = set.Apply(UfwGrammar.ParseCommand(["dns-required", "on"]).Value!);
        Assert.Equal(PolicyEditOutcome.Changed, on.Outcome);
        Assert.Equal("# my policy\nlogging = \"low\" # keep\ndns-required = true\n\n[defaults]\noutgoing = \"deny\"\n\n[daemon]\nblock-doh = false # why\n", on.Writes[0].Text);
        Assert.True(on.FileSet!.Policy.DnsRequired);

        var doh = on.FileSet.SetBlockDoh(true);
        Assert.EndsWith("[daemon]\nblock-doh = true # why\n", doh.Writes[0].Text, StringComparison.Ordinal);
        Assert.True(doh.FileSet!.Policy.BlockDoh);

        Assert.Equal(PolicyEditOutcome.Unchanged, doh.FileSet.SetBlockDoh(true).Outcome);
        var off = doh.FileSet.SetDnsRequired(false);
        Assert.Contains("dns-required = false\n", off.Writes[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Switch_edit_without_top_level_keys_goes_above_the_first_table()
    {
        var set = Load("[defaults]\nincoming = \"deny\"\n").FileSet!;
        var edit = set.SetBlockDoh(true);
        Assert.Equal("block-doh = true\n\n[defaults]\nincoming = \"deny\"\n", edit.Writes[0].Text);
    }

    [Fact]
    public void A_fresh_main_file_written_by_an_edit_holds_the_switch()
    {
        var set = PolicyFileSet.FromFiles("/etc/outgate", []).FileSet!;
        var edit = set.SetDnsRequired(true);
        Assert.True(edit.FileSet!.Policy.DnsRequired);
        Assert.Contains("dns-required = true", edit.Writes[0].Text, StringComparison.Ordinal);
    }
}

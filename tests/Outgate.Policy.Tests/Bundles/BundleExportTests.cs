namespace Outgate.Policy.Tests.Bundles;

public sealed class BundleExportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 30, 0, TimeSpan.Zero);
    private const string Boot = "6f1c2e3a-1111-4222-8333-944455556666";

    [Fact]
    public void Lapsed_for_rules_are_left_out_and_everything_else_stays_byte_identical()
    {
        using var dir = new TempConfigDirectory();
        const string Main = "# keep me\n[defaults]\noutgoing = \"deny\"\n\n[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"443\"\n";
        dir.Write("outgate.toml", Main);
        dir.Write("rules.d/20-tmp.toml",
            "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"8080\"\nexpires = \"2026-11-26T03:00:00Z\"\n\n"
            + "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"8081\"\nexpires = \"2026-11-26T04:00:00Z\"\n\n"
            + "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"8082\"\nboot_id = \"0a0b0c0d-1111-4222-8333-944455556666\"\n\n"
            + "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"8083\"\nboot_id = \"" + Boot + "\"\n");

        var files = BundleExport.Files(dir.Load(), Now, Boot, out var dropped);

        Assert.Equal(2, dropped);
        Assert.Equal(["outgate.toml", "rules.d/20-tmp.toml"], files.Select(f => f.Name));
        Assert.Equal(Main, files[0].Text);
        Assert.DoesNotContain("8080", files[1].Text);
        Assert.DoesNotContain("8082", files[1].Text);
        Assert.Contains("8081", files[1].Text);
        Assert.Contains("8083", files[1].Text);
    }

    [Fact]
    public void Until_reboot_rules_stay_when_the_boot_id_is_unknown()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"8082\"\nboot_id = \"0a0b0c0d-1111-4222-8333-944455556666\"\n");
        BundleExport.Files(dir.Load(), Now, null, out var dropped);
        Assert.Equal(0, dropped);
    }

    [Fact]
    public void Policy_errors_in_a_bundle_point_at_the_bundle_line_and_the_file_line()
    {
        using var dir = new TempConfigDirectory();
        var bundle = PolicyBundle.Create(
            [new BundleFile("outgate.toml", "[defaults]\noutgoing = \"deny\"\n"), new BundleFile("rules.d/10-x.toml", "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"99999\"\n")],
            Now, "h");
        var parsed = PolicyBundle.Parse(bundle.ToBytes(), "b.bundle");

        var result = BundleValidation.Load(parsed, dir.Path, "b.bundle");

        var error = Assert.Single(result.Errors);
        Assert.Equal("b.bundle", error.File);
        // Header 4 lines, marker 5, outgate.toml 6-7, separator 8, marker 9, the rule's lines from 10: to_port is line 13.
        Assert.Equal(13, error.Line);
        Assert.Contains("(in rules.d/10-x.toml line 4)", error.Message);
    }

    [Fact]
    public void A_valid_bundle_loads_as_the_same_policy_as_its_directory()
    {
        using var dir = new TempConfigDirectory();
        dir.Write("outgate.toml", "[defaults]\noutgoing = \"deny\"\n\n[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"443\"\n");
        dir.Write("rules.d/10-dns.toml", "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"53\"\n");
        var set = dir.Load();
        var bundle = PolicyBundle.Parse(PolicyBundle.Create(BundleExport.Files(set, Now, Boot, out _), Now, "h").ToBytes(), "b.bundle");
        using var other = new TempConfigDirectory();
        var loaded = BundleValidation.Load(bundle, other.Path, "b.bundle");
        Assert.True(loaded.Succeeded);
        Assert.Empty(PolicyChange.Describe(set.Policy, loaded.FileSet!.Policy));
    }

    [Fact]
    public void Changes_are_listed_in_ufw_form()
    {
        var before = new FirewallPolicy { Rules = [Tokens.Rule("allow out 53"), Tokens.Rule("allow out 443/tcp")] };
        var after = before with { Defaults = new Defaults { Outgoing = DefaultPolicy.Deny }, Rules = [Tokens.Rule("allow out 443/tcp"), Tokens.Rule("deny out to 10.0.0.0/8")] };
        Assert.Equal(["  default outgoing: allow -> deny", "- allow out 53", "+ deny out to 10.0.0.0/8"], PolicyChange.Describe(before, after));
    }
}

using System.Diagnostics;
using System.Text;
using CsCheck;
using Outgate.Policy.Domains;

namespace Outgate.Policy.Tests.Domains;

public sealed class DomainListReaderTests(ITestOutputHelper output)
{
    private static DomainListLoadResult Read(string text, DomainListFormat format = DomainListFormat.Auto) =>
        DomainListReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "blocklist.txt", format);

    [Fact]
    public void Reads_a_hosts_file_with_several_names_per_line_comments_and_local_entries()
    {
        var result = Read("""
            # StevenBlack-style header
            127.0.0.1 localhost
            127.0.0.1 localhost.localdomain
            255.255.255.255 broadcasthost
            ::1 localhost ip6-localhost ip6-loopback
            fe80::1%lo0 localhost
            0.0.0.0 0.0.0.0
            0.0.0.0 ads.example.com tracker.example.net # inline comment
            127.0.0.1	Metrics.Example.ORG
            """, DomainListFormat.Hosts);
        Assert.Equal(3, result.Names);
        Assert.Equal(0, result.BadLines);
        Assert.True(result.LocalNames >= 7);
        Assert.True(result.Set.Contains("ads.example.com"));
        Assert.True(result.Set.Contains("metrics.example.org"));
        Assert.False(result.Set.Contains("x.ads.example.com")); // hosts entries are exact
        Assert.False(result.Set.Contains("localhost"));
    }

    [Fact]
    public void Reads_plain_lines_as_domains_with_their_subdomains_and_star_lines_as_subdomains_only()
    {
        var result = Read("example.com\n*.cdn.example.net\r\n\n# comment\nTrailing.Dot.org.\n", DomainListFormat.Plain);
        Assert.Equal(3, result.Names);
        Assert.True(result.Set.Contains("a.example.com"));
        Assert.True(result.Set.Contains("example.com"));
        Assert.False(result.Set.Contains("cdn.example.net"));
        Assert.True(result.Set.Contains("x.cdn.example.net"));
        Assert.True(result.Set.Contains("trailing.dot.org"));
    }

    [Fact]
    public void Reads_adblock_domain_rules_and_counts_the_rest_as_unsupported()
    {
        var result = Read("""
            [Adblock Plus 2.0]
            ! Title: test
            ||ads.example.com^
            ||Tracker.Example.net^
            @@||allowed.example.com^
            example.org##.banner
            ||example.com/ads/*
            ||wild*.example.com^
            ||opt.example.com^$third-party
            /banner\d+/
            """, DomainListFormat.Adblock);
        Assert.Equal(2, result.Names);
        Assert.Equal(5, result.UnsupportedAdblockLines);
        Assert.Equal(1, result.BadLines); // the regex line is not an adblock domain rule
        Assert.True(result.Set.Contains("x.ads.example.com"));
        Assert.True(result.Set.Contains("tracker.example.net"));
        Assert.False(result.Set.Contains("allowed.example.com"));
    }

    [Fact]
    public void Auto_reads_each_line_by_its_look()
    {
        var result = Read("0.0.0.0 hosts.example\nplain.example\n||adblock.example^\n");
        Assert.Equal(3, result.Names);
        Assert.True(result.Set.Contains("hosts.example"));
        Assert.True(result.Set.Contains("sub.plain.example"));
        Assert.True(result.Set.Contains("sub.adblock.example"));
    }

    [Fact]
    public void Bad_lines_become_warnings_with_file_and_line_and_the_load_goes_on()
    {
        var result = Read("good.example\nbad name here\nbücher.example\n0.0.0.0 a..b\nalso-good.example\n192.0.2.1\n", DomainListFormat.Auto);
        Assert.Equal(2, result.Set.Count);
        Assert.Equal(4, result.BadLines);
        Assert.Contains(result.Warnings, w => w.Line == 6 && w.Message.Contains("belong in an IP list", StringComparison.Ordinal));
        Assert.False(result.IsUnusable);
        Assert.Contains(result.Warnings, w => w.ToString().StartsWith("blocklist.txt:2: warning: 'bad name here' is not a domain list line (expected: ", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Line == 3 && w.Message.Contains("xn--", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Line == 4 && w.Message.Contains("empty label", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_mostly_garbage_is_reported_unusable_and_keeps_few_warning_strings()
    {
        var text = new StringBuilder("ok.example\n");
        for (var i = 0; i < 5000; i++) text.Append("<html><body>not a list ").Append(i).Append('\n');
        var result = Read(text.ToString(), DomainListFormat.Plain);
        Assert.True(result.IsUnusable);
        Assert.Equal(5000, result.BadLines);
        Assert.True(result.Warnings.Count <= 102);
        Assert.Contains(result.Warnings, w => w.Line == 0 && w.Message.Contains("5000 of 5001", StringComparison.Ordinal));
        output.WriteLine(string.Join('\n', result.Warnings.TakeLast(3)));
    }

    [Fact]
    public void A_missing_file_is_a_warning_not_an_exception()
    {
        var result = DomainListReader.ReadFile("/nonexistent/outgate/list.txt");
        Assert.True(result.IsUnusable);
        Assert.StartsWith("/nonexistent/outgate/list.txt: warning: cannot read the list", Assert.Single(result.Warnings).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_longer_than_the_buffer_are_skipped_with_a_warning()
    {
        var result = Read("a.example\n" + new string('x', 200_000) + "\nb.example\n" + new string('y', 70_000));
        Assert.Equal(2, result.Names);
        Assert.Equal(2, result.BadLines);
        Assert.Contains(result.Warnings, w => w.Line == 2 && w.Message.Contains("64 KiB", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Line == 4);
    }

    [Fact]
    public void Random_text_never_throws()
    {
        var pieces = Gen.OneOf(Gen.Const("0.0.0.0 "), Gen.Const("||"), Gen.Const("^"), Gen.Const("#"), Gen.Const("\n"), Gen.Const("."), Gen.Const("*."),
            Gen.Const("@@"), Gen.Const("##"), Gen.Const("::1 "), Gen.Const("a"), Gen.Const("\r\n"), Gen.Const("\uFEFF"), Gen.Const("$"), Gen.String[0, 5]);
        pieces.Array[0, 40].Sample(parts =>
        {
            var result = Read(string.Concat(parts));
            Assert.True(result.Names >= result.Set.Count);
        }, iter: 5_000);
    }

    [Fact]
    public void A_one_million_line_hosts_file_loads_quickly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"outgate-hosts-{Guid.NewGuid():N}.txt");
        try
        {
            using (var writer = new StreamWriter(path))
            {
                writer.WriteLine("# generated");
                foreach (var name in DomainCorpus.Names(1_000_000)) { writer.Write("0.0.0.0 "); writer.WriteLine(name); }
            }

            var watch = Stopwatch.StartNew();
            var result = DomainListReader.ReadFile(path, DomainListFormat.Hosts);
            output.WriteLine($"1M-line hosts file ({new FileInfo(path).Length / 1_000_000} MB): {watch.ElapsedMilliseconds} ms, {result.Set.Count} names, {result.BadLines} bad");
            Assert.Equal(1_000_000, result.Set.Count);
            Assert.Empty(result.Warnings);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

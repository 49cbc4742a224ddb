using CsCheck;

namespace Outgate.Policy.Tests.Dns;

public sealed class DomainPatternTests
{
    [Theory]
    [InlineData("updates.example.com", "updates.example.com", false)]
    [InlineData("Updates.Example.COM.", "updates.example.com", false)]
    [InlineData("*.mozilla.org", "*.mozilla.org", true)]
    [InlineData("*.Mozilla.org.", "*.mozilla.org", true)]
    [InlineData("bücher.example", "xn--bcher-kva.example", false)]
    [InlineData("*.bücher.example", "*.xn--bcher-kva.example", true)]
    [InlineData("_dmarc.example.com", "_dmarc.example.com", false)]
    [InlineData("localhost", "localhost", false)]
    public void Patterns_are_normalised(string text, string expected, bool wildcard)
    {
        var pattern = DomainPattern.Parse(text);
        Assert.Equal(expected, pattern.ToString());
        Assert.Equal(wildcard, pattern.IsWildcard);
    }

    [Fact]
    public void A_wildcard_matches_names_strictly_below_its_domain_only()
    {
        var pattern = DomainPattern.Parse("*.mozilla.org");
        Assert.True(pattern.Matches("cdn.mozilla.org"));
        Assert.True(pattern.Matches("a.b.mozilla.org"));
        Assert.True(pattern.Matches("CDN.Mozilla.Org."));
        Assert.False(pattern.Matches("mozilla.org"));
        Assert.False(pattern.Matches("evilmozilla.org"));
        Assert.False(pattern.Matches(".mozilla.org"));
        Assert.False(pattern.Matches("mozilla.org.evil.com"));
        Assert.False(pattern.Matches(""));
    }

    [Fact]
    public void An_exact_name_matches_only_itself()
    {
        var pattern = DomainPattern.Parse("updates.example.com");
        Assert.True(pattern.Matches("updates.example.com"));
        Assert.True(pattern.Matches("UPDATES.example.com."));
        Assert.False(pattern.Matches("a.updates.example.com"));
        Assert.False(pattern.Matches("example.com"));
    }

    [Theory]
    [InlineData("", "empty domain")]
    [InlineData("*", "'*' alone")]
    [InlineData("*.", "'*.' must be followed by a domain: '*.mozilla.org'")]
    [InlineData("*mozilla.org", "'*.' must be followed by a domain")]
    [InlineData("ads*.example.com", "'*' is only allowed as the first label")]
    [InlineData("a.*.example.com", "'*' is only allowed as the first label")]
    [InlineData("*.*.example.com", "'*' is only allowed as the first label")]
    [InlineData("a..example.com", "empty label")]
    [InlineData(".example.com", "empty label")]
    [InlineData("exa mple.com", "not a domain name")]
    [InlineData("10.0.0.0/8", "not a domain name")]
    [InlineData("https://example.com/", "not a domain name")]
    public void Bad_patterns_say_what_is_wrong(string text, string expected)
    {
        Assert.False(DomainPattern.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidRuleException>(() => DomainPattern.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_long_names_and_labels_are_refused()
    {
        Assert.False(DomainPattern.TryParse(new string('a', 64) + ".example", out _, out var label));
        Assert.Contains("label longer than 63", label, StringComparison.Ordinal);
        var longName = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));
        Assert.False(DomainPattern.TryParse(longName, out _, out var tooLong));
        Assert.Contains("longer than 253", tooLong, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_never_throws_anything_but_InvalidRuleException()
    {
        Gen.String.Sample(text =>
        {
            try
            {
                var pattern = DomainPattern.Parse(text);
                // Whatever parses round-trips through its text.
                Assert.Equal(pattern, DomainPattern.Parse(pattern.ToString()));
            }
            catch (InvalidRuleException)
            {
            }
        }, iter: 20_000);
    }

    private static readonly Gen<string> Labels = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_"].Array[1, 12].Select(c => new string(c));

    private static readonly Gen<string> Names = Labels.Array[1, 5].Select(l => string.Join('.', l));

    [Fact]
    public void Valid_patterns_round_trip_and_match_the_names_they_describe()
    {
        Gen.Select(Names, Gen.Bool, Labels).Sample((name, wildcard, sub) =>
        {
            var pattern = DomainPattern.Parse((wildcard ? "*." : "") + name.ToUpperInvariant() + ".");
            Assert.Equal(pattern, DomainPattern.Parse(pattern.ToString()));
            Assert.Equal(!wildcard, pattern.Matches(name));
            Assert.Equal(wildcard, pattern.Matches(sub + "." + name));
        });
    }
}

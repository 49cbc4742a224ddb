namespace Outgate.Policy.Tests.Alerts;

public sealed class SizeAndDurationSyntaxTests
{
    [Theory]
    [InlineData("20MB", 20_000_000)]
    [InlineData("512KiB", 524_288)]
    [InlineData("1.5GB", 1_500_000_000)]
    [InlineData("1kB", 1000)]
    [InlineData("1KB", 1000)]
    [InlineData("2MiB", 2_097_152)]
    [InlineData(" 7 B ", 7)]
    [InlineData("123", 123)]
    [InlineData("1TiB", 1L << 40)]
    public void Sizes_parse(string text, long bytes)
    {
        Assert.True(ByteSizeSyntax.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("", "is not a size")]
    [InlineData("MB", "is not a size")]
    [InlineData("1.2.3MB", "is not a size")]
    [InlineData("20mb", "did you mean 'MB'?")]
    [InlineData("20 megabytes", "unknown size unit 'megabytes'")]
    [InlineData("1.5B", "not a whole number of bytes")]
    [InlineData("2000TB", "too large")]
    public void Bad_sizes_say_why(string text, string problem)
    {
        Assert.False(ByteSizeSyntax.TryParse(text, out _, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("10m", 600_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("45", 45_000)]
    [InlineData("5M", 300_000)]
    public void Durations_parse(string text, long milliseconds)
    {
        Assert.True(AlertDurationSyntax.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), parsed);
    }

    [Theory]
    [InlineData("", "is not a duration")]
    [InlineData("-1s", "is not a duration")]
    [InlineData("1h30m", "unknown duration unit 'h30m'")]
    [InlineData("1w", "unknown duration unit 'w'")]
    [InlineData("400d", "too long")]
    [InlineData("99999999999999999999s", "too long")]
    public void Bad_durations_say_why(string text, string problem)
    {
        Assert.False(AlertDurationSyntax.TryParse(text, out _, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(600_000, "10m")]
    [InlineData(90_000, "90s")]
    [InlineData(1_500, "1500ms")]
    [InlineData(0, "0s")]
    public void Durations_format_in_the_largest_exact_unit(long milliseconds, string text) =>
        Assert.Equal(text, AlertDurationSyntax.Format(TimeSpan.FromMilliseconds(milliseconds)));
}

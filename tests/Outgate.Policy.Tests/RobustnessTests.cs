using CsCheck;

namespace Outgate.Policy.Tests;

public sealed class RobustnessTests
{
    private static readonly string[] Vocabulary =
    [
        "allow", "deny", "reject", "limit", "route", "insert", "delete", "default", "logging", "in", "out", "on", "log", "log-all",
        "proto", "from", "to", "port", "app", "comment", "any", "tcp", "udp", "esp", "eth0", "eth+", "tun0", "10.0.0.1", "10.0.0.0/8",
        "2001:db8::/32", "22", "80,443", "1000:2000", "53/udp", "0", "-1", "70000", "incoming", "outgoing", "routed", "forward", "on",
        "low", "full", "", " ", "\n", "'", "\"", "/", ":", ",", "999999999999999999999", "::", "1.2.3.4/", "/8",
    ];

    [Fact]
    public void The_grammar_never_throws_on_any_token_sequence()
    {
        var token = Gen.Frequency((4, Gen.OneOf(Vocabulary)), (1, Gen.String[0, 20]));
        token.Array[0, 14].Sample(tokens =>
        {
            var result = UfwGrammar.ParseCommand(tokens);
            Assert.True(result.Succeeded || result.Errors.Count > 0);
            if (result.Value is AddRuleCommand add)
            {
                Assert.Empty(add.Rule.Validate());
            }
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("comment = \"", 0xD800, "\"", 3, 12)]
    [InlineData("comment = \"ok", 0xDE00, "x\"", 3, 14)]
    [InlineData("", 0xD83D, "", 3, 1)]
    public void Half_a_surrogate_pair_is_an_error_at_its_place_not_a_crash(string before, int surrogate, string after, int expectedLine, int expectedColumn)
    {
        // Only text from the API can hold one (a JSON "\uD800"); Tomlyn throws on it instead of reporting it.
        var text = "[[rule]]\naction = \"allow\"\n" + before + (char)surrogate + after + "\n";
        var result = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", text)]);
        var error = Assert.Single(result.Errors);
        Assert.True((expectedLine, expectedColumn) == (error.Line, error.Column), error.ToString());
        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_ends_inside_a_string_after_a_backslash_is_an_error_not_a_crash()
    {
        var result = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", "[[rule]]\naction = \"allow\"\ncomment = \"abc\\")]);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, 16), (error.Line, error.Column));
        Assert.Contains("backslash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_toml_loader_never_throws_on_mangled_files()
    {
        var original = TestData.Read("toml/handwritten.toml");
        var mangled =
            from cut in Gen.Int[0, original.Length]
            from length in Gen.Int[0, 20]
            from insert in Gen.Frequency((3, Gen.OneOf("", "[", "]", "[[rule]]\n", "=", "\"", "action = 1\n", "\n", "#", "to_port = \"x\"\n", "{", "'''")), (1, Gen.String[0, 10]))
            select original[..cut] + insert + original[Math.Min(original.Length, cut + length)..];
        mangled.Sample(text =>
        {
            var result = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", text)]);
            Assert.True(result.Succeeded || result.Errors.All(e => e.Line >= 1 && e.Column >= 1 && e.Message.Length > 0));
            if (result.Succeeded)
            {
                _ = NftRulesetCompiler.Compile(result.FileSet!.Policy);
            }
        }, iter: 3_000);
    }
}

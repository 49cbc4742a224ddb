using System.Globalization;
using System.Text;
using System.Security.Cryptography;
using CsCheck;

namespace Outgate.Policy.Tests.Bundles;

public sealed class PolicyBundleTests
{
    private static readonly BundleFile[] Files =
    [
        new("outgate.toml", "[defaults]\noutgoing = \"deny\"\n\n[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"443\"\n"),
        new("rules.d/10-dns.toml", "[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = \"53\"\n"),
    ];

    private static readonly DateTimeOffset Created = new(2026, 11, 26, 3, 30, 0, TimeSpan.Zero);

    private static byte[] Bytes(IEnumerable<BundleFile>? files = null) => PolicyBundle.Create(files ?? Files, Created, "web1").ToBytes();

    /// <summary>A bundle whose header carries the right digest for an arbitrary body (to reach the structure checks).</summary>
    private static byte[] WithHonestDigest(string body)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var digest = Convert.ToHexStringLower(SHA256.HashData(bodyBytes));
        return [.. Encoding.UTF8.GetBytes($"# outgate-bundle v1\n# sha256: {digest}\n# created: 2026-11-26T03:30:00Z\n# host: h\n"), .. bodyBytes];
    }

    private static BundleFormatException Rejects(byte[] bytes) => Assert.Throws<BundleFormatException>(() => PolicyBundle.Parse(bytes, "b.bundle"));

    [Fact]
    public void Digest_depends_only_on_the_files_not_on_time_or_host()
    {
        var a = PolicyBundle.Create(Files, Created, "web1");
        var b = PolicyBundle.Create(Files.Reverse(), Created.AddDays(3), "other");
        Assert.Equal(a.Digest, b.Digest);
        Assert.NotEqual(a.Digest, PolicyBundle.Create([Files[0]], Created, "web1").Digest);
        Assert.NotEqual(a.Digest, PolicyBundle.Create([Files[0], Files[1] with { Name = "rules.d/11-dns.toml" }], Created, "web1").Digest);
    }

    [Fact]
    public void Digest_is_the_sha256_of_everything_below_the_four_header_lines()
    {
        var bytes = Bytes();
        var text = Encoding.UTF8.GetString(bytes);
        var body = string.Join("", text.Split('\n').Skip(4).Select(l => l + "\n"))[..^1];
        Assert.Equal(PolicyBundle.Create(Files, Created, "x").Digest, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
    }

    [Fact]
    public void A_bundle_reads_back_with_the_exact_file_texts_and_their_bundle_lines()
    {
        var bundle = PolicyBundle.Parse(Bytes(), "b.bundle");
        Assert.Equal(Files.Select(f => (f.Name, f.Text)), bundle.Files.Select(f => (f.Name, f.Text)));
        Assert.Equal(Created, bundle.Created);
        Assert.Equal("web1", bundle.Host);
        Assert.Equal(6, bundle.Files[0].FirstLine);
        var lines = Encoding.UTF8.GetString(Bytes()).Split('\n');
        Assert.Equal("[[rule]]", lines[bundle.Files[1].FirstLine - 1]);
    }

    [Fact]
    public void Files_may_contain_marker_lines_lack_a_final_newline_or_be_empty()
    {
        BundleFile[] odd =
        [
            new("outgate.toml", "# --- end: 0 files ---\n# --- file: rules.d/x.toml (3 bytes) ---\nabc"),
            new("rules.d/a.toml", ""),
            new("rules.d/b.toml", "ünïcödé ✓\r\n"),
        ];
        var bundle = PolicyBundle.Parse(Bytes(odd), "b.bundle");
        Assert.Equal(odd.Select(f => f.Text), bundle.Files.Select(f => f.Text));
    }

    [Fact]
    public void An_edited_byte_is_reported_as_a_digest_mismatch_naming_both_digests()
    {
        var bytes = Bytes();
        var i = Array.IndexOf(bytes, (byte)'4', 200);
        bytes[i] = (byte)'5';
        var ex = Rejects(bytes);
        Assert.True(ex.IsDigestMismatch);
        Assert.Contains("digest in header", ex.Message);
        Assert.Contains("content hashes to", ex.Message);
        Assert.Contains("edited or truncated", ex.Message);
        Assert.StartsWith("b.bundle:2: error:", ex.Message);
    }

    [Fact]
    public void A_truncated_bundle_is_rejected()
    {
        var bytes = Bytes();
        foreach (var cut in new[] { 0, 10, 60, 150, bytes.Length - 1 })
        {
            var ex = Rejects(bytes[..cut]);
            Assert.Contains("error:", ex.Message);
        }
        Assert.True(Rejects(bytes[..(bytes.Length - 5)]).IsDigestMismatch);
    }

    [Fact]
    public void Header_problems_get_their_own_messages()
    {
        Assert.Contains("unsupported bundle format", Rejects(Encoding.UTF8.GetBytes("# outgate-bundle v2\n")).Message);
        Assert.Contains("CRLF", Rejects(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Bytes()).Replace("\n", "\r\n"))).Message);
        Assert.Contains("not an outgate bundle", Rejects(Encoding.UTF8.GetBytes("[defaults]\noutgoing = \"deny\"\n")).Message);
        Assert.Contains("64 lowercase hex", Rejects(Encoding.UTF8.GetBytes("# outgate-bundle v1\n# sha256: ABC\n# created: x\n# host: h\n")).Message);
        Assert.Contains("is empty", Rejects([]).Message);
    }

    [Theory]
    [InlineData("# --- file: ../etc/passwd (0 bytes) ---\n\n# --- end: 1 files ---\n", "is not a policy file name")]
    [InlineData("# --- file: /etc/outgate/outgate.toml (0 bytes) ---\n\n# --- end: 1 files ---\n", "is not a policy file name")]
    [InlineData("# --- file: rules.d/.hidden.toml (0 bytes) ---\n\n# --- end: 1 files ---\n", "is not a policy file name")]
    [InlineData("# --- file: rules.d/sub/x.toml (0 bytes) ---\n\n# --- end: 1 files ---\n", "is not a policy file name")]
    [InlineData("# --- file: rules.d/b.toml (0 bytes) ---\n\n# --- file: outgate.toml (0 bytes) ---\n\n# --- end: 2 files ---\n", "comes after")]
    [InlineData("# --- file: rules.d/b.toml (0 bytes) ---\n\n# --- file: rules.d/b.toml (0 bytes) ---\n\n# --- end: 2 files ---\n", "comes after")]
    [InlineData("# --- file: outgate.toml (99 bytes) ---\nabc\n# --- end: 1 files ---\n", "should have 99 bytes")]
    [InlineData("# --- file: outgate.toml (2 bytes) ---\nabc\n# --- end: 1 files ---\n", "not followed by a newline")]
    [InlineData("# --- file: outgate.toml (3 bytes) ---\nabc\n# --- end: 2 files ---\n", "holds 1 files")]
    [InlineData("# --- file: outgate.toml (3 bytes) ---\nabc\n# --- end: 1 files ---\nmore\n", "text after the end line")]
    [InlineData("# --- file: outgate.toml (3 bytes) ---\nabc\n", "ends without")]
    [InlineData("[[rule]]\n", "expected a file marker")]
    public void Structure_errors_are_found_even_when_the_digest_matches(string body, string expected)
    {
        var ex = Rejects(WithHonestDigest(body));
        Assert.False(ex.IsDigestMismatch);
        Assert.Contains(expected, ex.Message);
        Assert.Matches(@"^b\.bundle:\d+: error: .+ \(hint: .+\)$", ex.Message);
    }

    [Fact]
    public void Invalid_utf8_inside_a_file_is_rejected()
    {
        var body = "# --- file: outgate.toml (2 bytes) ---\n"u8.ToArray().Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).Concat("# --- end: 1 files ---\n"u8.ToArray()).ToArray();
        var digest = Convert.ToHexStringLower(SHA256.HashData(body));
        byte[] bytes = [.. Encoding.UTF8.GetBytes($"# outgate-bundle v1\n# sha256: {digest}\n# created: 2026-11-26T03:30:00Z\n# host: h\n"), .. body];
        Assert.Contains("not valid UTF-8", Rejects(bytes).Message);
    }

    [Fact]
    public void Create_refuses_names_a_reader_would_refuse()
    {
        Assert.Throws<ArgumentException>(() => PolicyBundle.Create([new BundleFile("../x.toml", "")], Created, "h"));
        Assert.Throws<ArgumentException>(() => PolicyBundle.Create([new BundleFile("outgate.toml", ""), new BundleFile("outgate.toml", "")], Created, "h"));
    }

    [Fact]
    public void Random_bytes_never_throw_anything_but_the_bundle_error()
    {
        Gen.Byte.Array[0, 400].Sample(bytes => NeverThrowsOtherwise(bytes), iter: 2000);
    }

    [Fact]
    public void Mutated_bundles_never_throw_anything_but_the_bundle_error()
    {
        var original = Bytes();
        (from at in Gen.Int[0, original.Length]
         from cut in Gen.Int[0, 30]
         from insert in Gen.Byte.Array[0, 8]
         select (at, cut, insert))
            .Sample(m =>
            {
                var cutEnd = Math.Min(original.Length, m.at + m.cut);
                NeverThrowsOtherwise([.. original[..m.at], .. m.insert, .. original[cutEnd..]]);
            }, iter: 2000);
    }

    [Fact]
    public void Garbage_bodies_with_an_honest_digest_never_throw_anything_but_the_bundle_error()
    {
        var piece = Gen.OneOf(Gen.Const("# --- file: "), Gen.Const("outgate.toml"), Gen.Const("rules.d/a.toml"), Gen.Const(" ("),
            Gen.Const(" bytes) ---"), Gen.Const("# --- end: "), Gen.Const(" files ---"), Gen.Const("\n"), Gen.Int[0, 40].Select(i => i.ToString(CultureInfo.InvariantCulture)),
            Gen.String[0, 6]);
        piece.Array[0, 30].Select(p => string.Concat(p)).Sample(body =>
        {
            try
            {
                var bundle = PolicyBundle.Parse(WithHonestDigest(body), "b.bundle");
                Assert.All(bundle.Files, f => Assert.True(BundleNames.IsValid(f.Name)));
            }
            catch (BundleFormatException) { }
        }, iter: 3000);
    }

    private static void NeverThrowsOtherwise(byte[] bytes)
    {
        try
        {
            PolicyBundle.Parse(bytes, "b.bundle");
        }
        catch (BundleFormatException ex)
        {
            Assert.Contains("error:", ex.Message);
        }
    }
}

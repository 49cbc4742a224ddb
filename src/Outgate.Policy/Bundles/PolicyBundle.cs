using System.Security.Cryptography;

namespace Outgate.Policy;

/// <summary>
/// <c>outgate export</c>'s single-file policy bundle (format v1, described in docs/bundles.md):
/// <code>
/// # outgate-bundle v1
/// # sha256: HEX               ← SHA-256 of every byte from line 5 to the end
/// # created: 2026-11-26T03:30:00Z
/// # host: NAME
/// # --- file: outgate.toml (N bytes) ---
/// N bytes of the file's exact text, then one "\n"
/// # --- file: rules.d/10-web.toml (M bytes) ---
/// M bytes, "\n"
/// # --- end: 2 files ---
/// </code>
/// Byte counts make the body self-delimiting: a file may contain anything, marker-like lines included, and a cut
/// anywhere is detected. The header is exactly four lines, so <c>tail -n +5 BUNDLE | sha256sum</c> checks a bundle by hand.
/// </summary>
public sealed record PolicyBundle(IReadOnlyList<BundleFile> Files, string Digest, DateTimeOffset Created, string Host)
{
    public const string Magic = "# outgate-bundle v1";

    /// <summary>Largest bundle <see cref="Parse"/> reads (64 MiB): policies are text, far smaller.</summary>
    public const int MaxBytes = 64 << 20;

    /// <summary>Most files in one bundle.</summary>
    public const int MaxFiles = 10_000;

    internal const int HeaderLines = 4;
    internal const string FileMarkerStart = "# --- file: ";
    internal const string EndMarkerStart = "# --- end: ";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A bundle of <paramref name="files"/> (put in load order; names must pass <see cref="BundleNames.IsValid"/>).</summary>
    public static PolicyBundle Create(IEnumerable<BundleFile> files, DateTimeOffset created, string host)
    {
        var ordered = files.OrderBy(f => f.Name, Comparer<string>.Create(BundleNames.Compare)).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            if (!BundleNames.IsValid(ordered[i].Name))
                throw new ArgumentException($"'{Quote.Escape(ordered[i].Name)}' is not a policy file name a bundle can carry", nameof(files));
            if (i > 0 && ordered[i].Name == ordered[i - 1].Name)
                throw new ArgumentException($"'{ordered[i].Name}' is given twice", nameof(files));
        }
        var body = Body(ordered);
        return new PolicyBundle(ordered, Hex(SHA256.HashData(body)), created.ToUniversalTime(), CleanHost(host));
    }

    /// <summary>The bundle's bytes (UTF-8, "\n" line ends).</summary>
    public byte[] ToBytes()
    {
        var header = Encoding.UTF8.GetBytes(
            $"{Magic}\n# sha256: {Digest}\n# created: {Created.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}\n# host: {Host}\n");
        return [.. header, .. Body(Files)];
    }

    /// <summary>The canonical content the digest covers (everything below the header).</summary>
    internal static byte[] Body(IReadOnlyList<BundleFile> files)
    {
        using var body = new MemoryStream();
        foreach (var file in files)
        {
            var text = Encoding.UTF8.GetBytes(file.Text);
            body.Write(Encoding.UTF8.GetBytes($"{FileMarkerStart}{file.Name} ({text.Length.ToString(CultureInfo.InvariantCulture)} bytes) ---\n"));
            body.Write(text);
            body.WriteByte((byte)'\n');
        }
        body.Write(Encoding.UTF8.GetBytes($"{EndMarkerStart}{files.Count.ToString(CultureInfo.InvariantCulture)} files ---\n"));
        return body.ToArray();
    }

    /// <summary>
    /// Reads and verifies a bundle. Checks, in this order: size, magic and version, the header lines, the digest (before
    /// anything below the header is trusted), then the file markers, names, order, byte counts and UTF-8.
    /// Throws only <see cref="BundleFormatException"/>.
    /// </summary>
    /// <param name="source">Shown in errors: the bundle's path or <c>&lt;stdin&gt;</c>.</param>
    public static PolicyBundle Parse(ReadOnlySpan<byte> bytes, string source) => new BundleReader(source).Read(bytes);

    internal static string Hex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    private static string CleanHost(string host)
    {
        var clean = new string([.. host.Select(c => char.IsControl(c) ? '?' : c)]).Trim();
        return clean.Length == 0 ? "unknown" : clean.Length > 253 ? clean[..253] : clean;
    }

    internal static UTF8Encoding Utf8 => StrictUtf8;
}

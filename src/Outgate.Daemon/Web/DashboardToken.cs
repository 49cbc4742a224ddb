using System.Security.Cryptography;
using System.Text;

namespace Outgate.Daemon.Web;

/// <summary>
/// The dashboard's login secret: 256 random bits, base64url, in <c>STATE_DIR/dashboard-token</c>
/// (mode 0600, root only). Made at the first start and kept across restarts, so a bookmarked login link
/// keeps working; <see cref="Rotate"/> (<c>outgate dashboard --rotate</c>) replaces it. The viewer token
/// (<see cref="DashboardTokens.Viewer"/>) is the same kind of file, made only when first asked for
/// (<paramref name="createOnLogin"/> false: a login attempt never creates it).
/// </summary>
public sealed class DashboardToken(string path, bool createOnLogin = true)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly Lock _lock = new();
    private byte[]? _value;

    public string Path { get; } = path;

    /// <summary>The token text (loads or creates the file on first use).</summary>
    public string Value
    {
        get
        {
            lock (_lock) return Encoding.ASCII.GetString(_value ??= LoadOrCreate());
        }
    }

    /// <summary>Constant-time comparison of a login attempt with the token.</summary>
    public bool Matches(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate) || candidate.Length > 256) return false;
        byte[] value;
        lock (_lock)
        {
            if (_value is null && !createOnLogin && !File.Exists(Path)) return false;
            value = _value ??= LoadOrCreate();
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate.Trim()), value);
    }

    /// <summary>Writes a new token; the caller ends every session made with the old one.</summary>
    public string Rotate()
    {
        lock (_lock)
        {
            _value = Encoding.ASCII.GetBytes(NewToken());
            Write(_value);
            return Encoding.ASCII.GetString(_value);
        }
    }

    private byte[] LoadOrCreate()
    {
        if (File.Exists(Path))
        {
            var text = File.ReadAllText(Path).Trim();
            if (text.Length >= 22) // ≥ 128 bits in base64url; a shorter file was not made by us: replace it
            {
                // Someone loosened the mode (a backup restore, a careless chmod): put it back.
                if ((File.GetUnixFileMode(Path) & ~OwnerOnly) != 0) File.SetUnixFileMode(Path, OwnerOnly);
                return Encoding.ASCII.GetBytes(text);
            }
        }
        var fresh = Encoding.ASCII.GetBytes(NewToken());
        Write(fresh);
        return fresh;
    }

    /// <summary>Write-to-temp and rename, the temp file created 0600, so the token is never readable by others, not even briefly.</summary>
    private void Write(byte[] value)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temp = Path + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        {
            stream.Write(value);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }

    internal static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

namespace Outgate.Daemon.Fleet;

/// <summary>
/// <c>CONFIG_DIR/fleet.conf</c>: the fleet database's Npgsql connection string on the first line that is neither blank
/// nor a <c>#</c> comment. It holds a password, so it must be owned by root and readable by nobody but root and the
/// file's group (0600, 0640, 0400 or 0440); anything looser is refused rather than used.
/// </summary>
public static class FleetConfigFile
{
    public const string FileName = "fleet.conf";

    /// <summary>Mode bits fleet.conf must not have: group write/execute and every "other" bit (0137), and any exec for the owner.</summary>
    private const UnixFileMode Forbidden = UnixFileMode.UserExecute | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Reads the connection string from <paramref name="configDirectory"/>/fleet.conf. Returns null when the file does not
    /// exist; <paramref name="error"/> is set (and null returned) when it exists but must not be used.
    /// </summary>
    /// <param name="ownerOf">The file's owner uid (injected for tests; default lstat).</param>
    public static string? TryRead(string configDirectory, out string? error, Func<string, uint>? ownerOf = null)
    {
        error = null;
        var path = Path.Combine(configDirectory, FileName);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            if (info.LinkTarget is not null)
            {
                error = $"{path} is a symbolic link: make it a regular file owned by root, mode 0600 (chmod 600 {path})";
                return null;
            }
            var owner = (ownerOf ?? OwnerOf)(path);
            if (owner != 0)
            {
                error = $"{path} is owned by uid {owner}, not root: it holds the fleet database password; fix with `chown root: {path}`";
                return null;
            }
            var mode = info.UnixFileMode;
            if ((mode & Forbidden) != 0)
            {
                error = $"{path} has mode {Octal(mode)}: it holds the fleet database password, so it must be 0600 or 0640; fix with `chmod 600 {path}`";
                return null;
            }
            return FirstSetting(File.ReadAllLines(path), path, out error);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read {path}: {ex.Message}";
            return null;
        }
    }

    /// <summary>The first line that is not blank and not a comment, trimmed; an error when there is none.</summary>
    internal static string? FirstSetting(IEnumerable<string> lines, string path, out string? error)
    {
        error = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            return line;
        }
        error = $"{path} has no connection string: put one line like `Host=db.example;Database=outgate;Username=outgate;Password=...` in it";
        return null;
    }

    internal static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8);

    private static uint OwnerOf(string path) => Interop.OwnerOf(path);
}

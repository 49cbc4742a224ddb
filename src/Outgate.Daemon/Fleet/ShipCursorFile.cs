using System.Globalization;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// <c>STATE_DIR/fleet-cursor</c>: the last event id the fleet database confirmed, for `outgate status` and for
/// retention while the database is unreachable. The database's own copy (hosts.shipped_id, written in the same
/// transaction as the rows) is authoritative; this one may lag it by a batch after a crash.
/// </summary>
public sealed class ShipCursorFile(string path)
{
    public const string FileName = "fleet-cursor";

    public string Path { get; } = path;

    public long? TryRead()
    {
        try
        {
            return File.Exists(Path) && long.TryParse(File.ReadAllText(Path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="id"/> atomically; a failure is not fatal (the database has the real cursor).</summary>
    public bool TryWrite(long id)
    {
        try
        {
            var temp = Path + ".tmp";
            File.WriteAllText(temp, id.ToString(CultureInfo.InvariantCulture) + "\n");
            File.Move(temp, Path, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

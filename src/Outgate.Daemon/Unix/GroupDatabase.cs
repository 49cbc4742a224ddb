using System.Globalization;
using Outgate.Linux.ProcFs;

namespace Outgate.Daemon.Unix;

/// <summary>
/// Group and user names from /etc/group and /etc/passwd, read on each call (both are small, and an
/// admin may create the access group while the daemon runs).
/// </summary>
public sealed class GroupDatabase(string etc = "/etc")
{
    /// <summary>The gid of group <paramref name="name"/>, or null when there is no such group.</summary>
    public uint? FindGroupId(string name)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(etc, "group")))
            {
                // name:password:gid:members
                var parts = line.Split(':');
                if (parts.Length >= 3 && parts[0] == name && uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                    return gid;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>The name of user <paramref name="uid"/>, or null.</summary>
    public string? FindUserName(uint uid)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(etc, "passwd")))
                if (PasswdFileParser.TryParseLine(line, out var u, out var name) && u == uid)
                    return name;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}

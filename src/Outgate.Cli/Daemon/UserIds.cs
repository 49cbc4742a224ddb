using System.Globalization;

namespace Outgate.Cli.Daemon;

/// <summary>
/// Turns <c>--user</c> into a uid: a number as it is, a name through /etc/passwd (the daemon's API
/// takes uids; reading the file here keeps the lookup where the admin typed the name).
/// </summary>
public static class UserIds
{
    public static bool TryResolve(string text, out uint uid, string passwdPath = "/etc/passwd")
    {
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uid)) return true;
        try
        {
            foreach (var line in File.ReadLines(passwdPath))
            {
                // name:password:uid:gid:gecos:home:shell
                var fields = line.Split(':');
                if (fields.Length > 2 && fields[0] == text && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uid))
                    return true;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        uid = 0;
        return false;
    }
}

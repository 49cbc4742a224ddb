namespace Outgate.Policy;

/// <summary>
/// User and group names to ids, for compiling <c>user</c>/<c>group</c> subjects into <c>meta skuid</c>/<c>meta skgid</c>.
/// <see cref="System"/> reads /etc/passwd and /etc/group when a name is first needed (numeric ids never read anything);
/// tests pass <see cref="FromText"/> so compiling stays pure.
/// </summary>
public sealed class AccountLookup
{
    private readonly Func<string> readPasswd;
    private readonly Func<string> readGroup;
    private Dictionary<string, uint>? users;
    private Dictionary<string, uint>? groups;

    private AccountLookup(Func<string> readPasswd, Func<string> readGroup)
    {
        this.readPasswd = readPasswd;
        this.readGroup = readGroup;
    }

    /// <summary>The local account database (/etc/passwd, /etc/group), read at most once per instance.</summary>
    public static AccountLookup System() => new(() => File.ReadAllText("/etc/passwd"), () => File.ReadAllText("/etc/group"));

    /// <summary>Accounts from passwd- and group-format text (<c>name:x:id:...</c> lines).</summary>
    public static AccountLookup FromText(string passwd, string group) => new(() => passwd, () => group);

    /// <summary>The uid of <paramref name="user"/> (a name or a number).</summary>
    public bool TryGetUid(string user, out uint uid) => TryGet(user, ref users, readPasswd, out uid);

    /// <summary>The gid of <paramref name="group"/> (a name or a number).</summary>
    public bool TryGetGid(string group, out uint gid) => TryGet(group, ref groups, readGroup, out gid);

    private static bool TryGet(string nameOrId, ref Dictionary<string, uint>? table, Func<string> read, out uint id)
    {
        if (nameOrId.Length > 0 && nameOrId.All(char.IsAsciiDigit))
        {
            return uint.TryParse(nameOrId, NumberStyles.None, CultureInfo.InvariantCulture, out id);
        }

        table ??= Parse(read());
        return table.TryGetValue(nameOrId, out id);
    }

    private static Dictionary<string, uint> Parse(string text)
    {
        var table = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0].Length > 0 && !fields[0].StartsWith('#')
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                table.TryAdd(fields[0], id);
            }
        }

        return table;
    }
}

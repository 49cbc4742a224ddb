namespace Outgate.Policy;

/// <summary>Whether one subject field matches the process facts; each test is a pure function of the value and the facts.</summary>
internal static class SubjectFieldMatch
{
    public static bool Matches(SubjectField field, string value, ProcessFacts process) => field switch
    {
        SubjectField.App => Executable(value, process.ExecutablePath),
        SubjectField.Sha256 => process.Sha256 is { } hash && hash.Equals(value, StringComparison.OrdinalIgnoreCase),
        SubjectField.CommandLine => process.CommandLine is { } commandLine && Glob.IsMatch(value, commandLine),
        SubjectField.Parent => Executable(value, process.ParentExecutablePath),
        SubjectField.User => Account(value, process.Uid, process.UserName),
        SubjectField.Group => Account(value, process.Gid, process.GroupName),
        SubjectField.Unit => process.SystemdUnit is { } unit && unit == UnitName(value),
        SubjectField.Cgroup => process.CgroupPath is { } path && CgroupContains(value, path),
        SubjectField.Container => Container(value, process.ContainerId, process.ContainerName),
        _ => PolicyThrow.Unreachable<bool>(field),
    };

    /// <summary>What the process has for <paramref name="field"/>, for "app is X, not Y" explanations.</summary>
    public static string Actual(SubjectField field, ProcessFacts process) => field switch
    {
        SubjectField.App => process.ExecutablePath,
        SubjectField.Sha256 => process.Sha256,
        SubjectField.CommandLine => process.CommandLine,
        SubjectField.Parent => process.ParentExecutablePath,
        SubjectField.User => process.UserName is { } user ? $"{user} ({process.Uid})" : process.Uid.ToString(CultureInfo.InvariantCulture),
        SubjectField.Group => process.GroupName is { } group ? $"{group} ({process.Gid})" : process.Gid.ToString(CultureInfo.InvariantCulture),
        SubjectField.Unit => process.SystemdUnit,
        SubjectField.Cgroup => process.CgroupPath,
        SubjectField.Container => process.ContainerName ?? process.ContainerId,
        _ => PolicyThrow.Unreachable<string>(field),
    } ?? "unknown";

    /// <summary>A unit name without a type suffix is a service, as for systemctl.</summary>
    public static string UnitName(string unit) => unit.Contains('.', StringComparison.Ordinal) ? unit : unit + ".service";

    /// <summary>Absolute path: the same executable; bare name: the executable's file name.</summary>
    public static bool Executable(string value, string? path)
    {
        if (path is null)
        {
            return false;
        }

        if (value.StartsWith('/'))
        {
            return path == value;
        }

        var slash = path.LastIndexOf('/');
        return path.AsSpan(slash + 1).SequenceEqual(value);
    }

    private static bool Account(string value, uint id, string? name)
        => uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && value.All(char.IsAsciiDigit)
            ? number == id
            : name == value;

    /// <summary>Prefix at a path boundary: <c>/system.slice</c> holds <c>/system.slice/nginx.service</c> but not <c>/system.slice2</c>.</summary>
    private static bool CgroupContains(string prefix, string path)
    {
        var trimmed = prefix.TrimEnd('/');
        return trimmed.Length == 0 || path == trimmed || (path.StartsWith(trimmed, StringComparison.Ordinal) && path.Length > trimmed.Length && path[trimmed.Length] == '/');
    }

    /// <summary>The container's name, or a prefix of its id of at least 12 hex digits (docker's short id).</summary>
    private static bool Container(string value, string? id, string? name)
        => (name is not null && name == value)
            || (id is not null && value.Length >= 12 && SubjectSyntax.IsHex(value) && id.StartsWith(value, StringComparison.OrdinalIgnoreCase));
}

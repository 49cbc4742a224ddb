namespace Outgate.Policy.Import;

/// <summary>
/// ufw application profiles (<c>/etc/ufw/applications.d/*</c>, INI: <c>[OpenSSH]</c> then <c>ports=22/tcp</c>; several
/// port groups are separated by <c>|</c>, e.g. <c>137,138/udp|139,445/tcp</c>).
/// </summary>
internal sealed class UfwAppProfiles
{
    private readonly Dictionary<string, string> ports = new(StringComparer.OrdinalIgnoreCase);

    public UfwAppProfiles(IReadOnlyList<ImportSourceFile> files)
    {
        foreach (var file in files)
        {
            string? section = null;
            foreach (var raw in file.Text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.StartsWith('[') && line.EndsWith(']'))
                {
                    section = line[1..^1].Trim();
                }
                else if (section is not null && line.StartsWith("ports", StringComparison.OrdinalIgnoreCase) && line.IndexOf('=') is var eq and > 0
                    && line[..eq].Trim().Equals("ports", StringComparison.OrdinalIgnoreCase))
                {
                    ports.TryAdd(section, line[(eq + 1)..].Trim());
                }
            }
        }
    }

    /// <summary>The port groups of <paramref name="app"/> as (ports, proto or null), or null when no profile names it.</summary>
    public IReadOnlyList<(string Ports, string? Proto)>? Find(string app)
    {
        if (!ports.TryGetValue(app, out var spec))
        {
            return null;
        }

        var groups = new List<(string, string?)>();
        foreach (var group in spec.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var slash = group.IndexOf('/');
            groups.Add(slash < 0 ? (group, null) : (group[..slash], group[(slash + 1)..]));
        }

        return groups.Count == 0 ? null : groups;
    }
}

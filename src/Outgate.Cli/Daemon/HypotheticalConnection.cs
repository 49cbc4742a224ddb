using System.Globalization;
using System.Net;

namespace Outgate.Cli.Daemon;

/// <summary>
/// A connection that has not happened, for <c>GET /v1/explain?exe=..&amp;to=..&amp;port=..</c>: the
/// daemon judges it against the live policy exactly as if the program had dialled out.
/// </summary>
public sealed record HypotheticalConnection(string Exe, IPAddress To, int Port, string Proto)
{
    public uint? Uid { get; init; }
    public string? Unit { get; init; }
    public string? Container { get; init; }
    public int? Pid { get; init; }
    /// <summary>The name DNS is taken to have answered <see cref="To"/> for.</summary>
    public string? Domain { get; init; }

    public string ToQuery()
    {
        var parts = new List<string>
        {
            "exe=" + Uri.EscapeDataString(Exe),
            "to=" + Uri.EscapeDataString(To.ToString()),
            "port=" + Port.ToString(CultureInfo.InvariantCulture),
            "proto=" + Proto,
        };
        if (Uid is { } uid) parts.Add("uid=" + uid.ToString(CultureInfo.InvariantCulture));
        if (Unit is { Length: > 0 } unit) parts.Add("unit=" + Uri.EscapeDataString(unit));
        if (Container is { Length: > 0 } c) parts.Add("container=" + Uri.EscapeDataString(c));
        if (Pid is { } pid) parts.Add("pid=" + pid.ToString(CultureInfo.InvariantCulture));
        if (Domain is { Length: > 0 } d) parts.Add("domain=" + Uri.EscapeDataString(d));
        return string.Join('&', parts);
    }
}

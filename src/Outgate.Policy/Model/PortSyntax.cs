namespace Outgate.Policy;

/// <summary>Parses ufw port syntax: <c>22</c>, <c>1000:2000</c>, <c>80,443,8000:8080</c>.</summary>
internal static class PortSyntax
{
    public const int MinPort = 1;
    public const int MaxPort = 65535;

    public static bool TryParse(string text, [NotNullWhen(true)] out PortSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        if (text.Length == 0)
        {
            error = "Bad port '': a port is a number 1-65535, a range 1000:2000 or a list 80,443";
            return false;
        }

        var ranges = new List<PortRange>();
        foreach (var part in text.Split(','))
        {
            var bounds = part.Split(':');
            if (bounds.Length > 2)
            {
                error = $"Bad port range '{Quote.Escape(part)}': a range is FIRST:LAST, e.g. 1000:2000";
                return false;
            }

            if (!TryParsePort(bounds[0], out var first, out error) || !TryParsePort(bounds[^1], out var last, out error))
            {
                return false;
            }

            if (first > last)
            {
                error = $"Bad port range '{Quote.Escape(part)}': the first port must not be greater than the last";
                return false;
            }

            ranges.Add(new PortRange(first, last));
        }

        spec = new PortSpec(ranges);
        if (spec.UfwCount > PortSpec.MaxListCount)
        {
            error = $"Bad port '{Quote.Escape(text)}': too many ports in the list ({spec.UfwCount}; at most {PortSpec.MaxListCount}, a range counts as 2)";
            spec = null;
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryParsePort(string text, out int port, [NotNullWhen(false)] out string? error)
    {
        port = 0;
        if (text.Length == 0 || text.Length > 10 || !text.All(char.IsAsciiDigit))
        {
            error = $"Bad port '{Quote.Escape(text)}': ports are numbers 1-65535";
            return false;
        }

        var value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value < MinPort || value > MaxPort)
        {
            error = $"Bad port '{Quote.Escape(text)}': ports are 1-65535";
            return false;
        }

        port = (int)value;
        error = null;
        return true;
    }
}

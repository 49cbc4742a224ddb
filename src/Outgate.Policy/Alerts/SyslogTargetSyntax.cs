namespace Outgate.Policy;

/// <summary>
/// <c>[alerts.syslog] target</c>: <c>udp://host[:port]</c> or <c>tcp://host[:port]</c>, port 514 when omitted (the IANA syslog
/// port for both). IPv6 literals go in brackets (<c>udp://[2001:db8::1]:514</c>).
/// </summary>
public static class SyslogTargetSyntax
{
    public const int DefaultPort = 514;

    public const string Examples = "\"udp://192.0.2.10:514\" or \"tcp://logs.example:514\"";

    public static bool TryParse(string text, [NotNullWhen(true)] out Uri? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        var trimmed = text.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || !trimmed.Contains("://", StringComparison.Ordinal))
        {
            error = $"'{Quote.Escape(text)}' is not a syslog target: expected {Examples}";
            return false;
        }

        if (uri.Scheme is not ("udp" or "tcp"))
        {
            error = $"syslog target scheme '{Quote.Escape(uri.Scheme)}' is not supported: use udp:// or tcp:// (RFC 5424 over UDP or TCP; TLS is not supported)";
            return false;
        }

        if (uri.Host.Length == 0 || uri.UserInfo.Length > 0 || uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            error = $"syslog target '{Quote.Escape(text)}' must be just {uri.Scheme}://host or {uri.Scheme}://host:port";
            return false;
        }

        if (uri.Port == 0)
        {
            error = $"syslog target '{Quote.Escape(text)}' has port 0: give 1-65535 or leave it out for 514";
            return false;
        }

        target = uri;
        error = null;
        return true;
    }

    /// <summary>The port of a parsed target: the written one or 514.</summary>
    public static int Port(Uri target) => target.IsDefaultPort || target.Port <= 0 ? DefaultPort : target.Port;

    /// <summary>The host without IPv6 brackets, ready for a socket.</summary>
    public static string Host(Uri target) => target.HostNameType == UriHostNameType.IPv6 ? target.Host.Trim('[', ']') : target.Host;
}

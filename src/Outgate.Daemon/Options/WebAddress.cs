using System.Globalization;
using System.Net;

namespace Outgate.Daemon.Options;

/// <summary>
/// The <c>--web</c> value: <c>ADDR:PORT</c> (<c>127.0.0.1:9474</c>, <c>[::1]:9474</c>, <c>localhost:0</c>) or <c>off</c>.
/// Only loopback addresses are accepted: a dashboard that can change the firewall must not be one
/// network hop away from an attacker (there is no TLS), so remote admins use an SSH tunnel instead.
/// </summary>
public static class WebAddress
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="endpoint"/> is null for <c>off</c>.</summary>
    public static bool TryParse(string text, out IPEndPoint? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        var t = text.Trim();
        if (t.Equals("off", StringComparison.OrdinalIgnoreCase) || t.Equals("none", StringComparison.OrdinalIgnoreCase)) return true;
        var colon = t.LastIndexOf(':');
        if (colon <= 0 || (t.StartsWith('[') && !t[..colon].EndsWith(']')))
        {
            error = $"'{DaemonCommandLine.Escape(text)}' is not ADDR:PORT: give e.g. 127.0.0.1:9474, [::1]:9474, or off";
            return false;
        }
        var host = t[..colon].Trim('[', ']');
        var portText = t[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"bad port '{DaemonCommandLine.Escape(portText)}' in '{DaemonCommandLine.Escape(text)}': give 0 (any free port) to 65535";
            return false;
        }
        IPAddress? address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : null;
        if (address is null && !IPAddress.TryParse(host, out address))
        {
            error = $"'{DaemonCommandLine.Escape(host)}' in '{DaemonCommandLine.Escape(text)}' is not an IP address: give 127.0.0.1 or ::1 (names other than localhost are not resolved)";
            return false;
        }
        if (!IPAddress.IsLoopback(address))
        {
            error = $"'{DaemonCommandLine.Escape(text)}' is not a loopback address: the dashboard listens only on 127.0.0.0/8 or ::1; for remote access use an SSH tunnel (ssh -L {DaemonOptions.DefaultWebPort}:127.0.0.1:{DaemonOptions.DefaultWebPort} HOST)";
            return false;
        }
        endpoint = new IPEndPoint(address, port);
        return true;
    }
}

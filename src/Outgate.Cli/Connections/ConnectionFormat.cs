using System.Globalization;
using System.Net;

namespace Outgate.Cli.Connections;

/// <summary>Text forms shared by the table and the watch view. Addresses are never resolved to names.</summary>
public static class ConnectionFormat
{
    /// <summary>"10.0.0.1:443", "[fd00::1]:443", "0.0.0.0:*" for an unbound port, "*:*" for no peer.</summary>
    public static string Endpoint(IPAddress address, ushort port, bool peer)
    {
        var isAny = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        if (peer && isAny && port == 0) return "*:*";
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return port == 0 ? host + ":*" : host + ":" + port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Compact IEC size: 999, 1.2K, 34M, 5.6G.</summary>
    public static string Bytes(ulong? bytes)
    {
        if (bytes is not { } b) return "";
        string[] units = ["", "K", "M", "G", "T", "P"];
        double v = b;
        var i = 0;
        while (v >= 1024 && i < units.Length - 1) { v /= 1024; i++; }
        return i == 0 ? b.ToString(CultureInfo.InvariantCulture)
            : (v < 10 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("0", CultureInfo.InvariantCulture)) + units[i];
    }

    public static string Rtt(double? ms) => ms is { } v ? v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "ms" : "";
}

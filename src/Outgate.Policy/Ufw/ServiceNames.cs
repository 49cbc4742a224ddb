namespace Outgate.Policy;

/// <summary>
/// The few /etc/services names people type in ufw recipes (<c>allow ssh</c>, <c>to any port domain</c>). Built in so
/// parsing stays pure; a name resolves to its port and, when the service is single-protocol, its protocol.
/// </summary>
internal static class ServiceNames
{
    private static readonly Dictionary<string, (int Port, Protocol Protocol)> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ssh"] = (22, Protocol.Tcp),
        ["smtp"] = (25, Protocol.Tcp),
        ["domain"] = (53, Protocol.Any),
        ["dns"] = (53, Protocol.Any),
        ["http"] = (80, Protocol.Tcp),
        ["www"] = (80, Protocol.Tcp),
        ["ntp"] = (123, Protocol.Udp),
        ["imap2"] = (143, Protocol.Tcp),
        ["imap"] = (143, Protocol.Tcp),
        ["https"] = (443, Protocol.Tcp),
        ["submission"] = (587, Protocol.Tcp),
        ["imaps"] = (993, Protocol.Tcp),
        ["pop3s"] = (995, Protocol.Tcp),
        ["openvpn"] = (1194, Protocol.Any),
        ["wireguard"] = (51820, Protocol.Udp),
    };

    public static bool TryResolve(string name, out int port, out Protocol protocol)
    {
        var found = Known.TryGetValue(name, out var entry);
        (port, protocol) = entry;
        return found;
    }
}

namespace Outgate.Policy.Domains;

/// <summary>What a <c>to list</c> file holds, decided by its first meaningful line (see <see cref="ListKindDetector"/>).</summary>
public enum ListKind
{
    /// <summary>Domain names (hosts, plain or adblock lines): matched against DNS names, compiled into timeout sets the daemon fills.</summary>
    Domains,

    /// <summary>IP addresses, CIDR networks or ranges: compiled into interval sets at compile time.</summary>
    Addresses,
}

namespace Outgate.Linux.Dns;

/// <summary>RCODE (RFC 1035 4.1.1), widened to 12 bits with the EDNS extended bits from OPT (RFC 6891 6.1.3).</summary>
public enum DnsResponseCode : ushort
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
    BadVersion = 16,
}

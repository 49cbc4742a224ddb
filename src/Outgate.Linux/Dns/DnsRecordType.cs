namespace Outgate.Linux.Dns;

/// <summary>DNS RR TYPE values (RFC 1035 3.2.2, RFC 3596, RFC 6891) that the answer parser names; others pass as numbers.</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    OPT = 41,
    SVCB = 64,
    HTTPS = 65,
    ANY = 255,
}

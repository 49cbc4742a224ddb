namespace Outgate.Linux.Dns;

/// <summary>
/// The single-bit flags of the DNS header's second 16-bit word (RFC 1035 4.1.1, RFC 4035 3.2), in wire positions:
/// <c>QR(15) Opcode(14-11) AA(10) TC(9) RD(8) RA(7) Z(6) AD(5) CD(4) RCODE(3-0)</c>. Opcode and RCODE are read separately.
/// </summary>
[Flags]
public enum DnsHeaderFlags : ushort
{
    None = 0,
    CheckingDisabled = 0x0010,
    AuthenticData = 0x0020,
    RecursionAvailable = 0x0080,
    RecursionDesired = 0x0100,
    Truncated = 0x0200,
    Authoritative = 0x0400,
    Response = 0x8000,
}

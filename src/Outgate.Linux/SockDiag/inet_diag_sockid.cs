using System.Runtime.InteropServices;

namespace Outgate.Linux.SockDiag;

/// <summary>
/// struct inet_diag_sockid (linux/inet_diag.h), 48 bytes. Ports and addresses are big-endian
/// (network order); idiag_if and idiag_cookie are host order. An IPv4 socket uses only
/// idiag_src[0]/idiag_dst[0].
/// </summary>
[StructLayout(LayoutKind.Sequential)]
#pragma warning disable IDE1006, CS8981 // kernel names
public unsafe struct inet_diag_sockid
#pragma warning restore IDE1006, CS8981
{
    public const int Size = 48;

    public ushort idiag_sport;
    public ushort idiag_dport;
    public fixed uint idiag_src[4];
    public fixed uint idiag_dst[4];
    public uint idiag_if;
    public fixed uint idiag_cookie[2];
}

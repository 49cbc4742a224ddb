using System.Runtime.InteropServices;

namespace Outgate.Linux.SockDiag;

/// <summary>
/// struct inet_diag_req_v2 (linux/inet_diag.h), 56 bytes, the SOCK_DIAG_BY_FAMILY request body.
/// For raw sockets the kernel reads <c>pad</c> as sdiag_raw_protocol (struct inet_diag_req_raw).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
#pragma warning disable IDE1006, CS8981 // kernel names
public struct inet_diag_req_v2
#pragma warning restore IDE1006, CS8981
{
    public const int Size = 56;

    public byte sdiag_family;
    public byte sdiag_protocol;
    public byte idiag_ext;
    public byte pad;
    public uint idiag_states;
    public inet_diag_sockid id;
}

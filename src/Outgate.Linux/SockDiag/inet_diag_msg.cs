using System.Runtime.InteropServices;

namespace Outgate.Linux.SockDiag;

/// <summary>struct inet_diag_msg (linux/inet_diag.h), 72 bytes, one socket in a sock_diag reply; attributes follow.</summary>
[StructLayout(LayoutKind.Sequential)]
#pragma warning disable IDE1006, CS8981 // kernel names
public struct inet_diag_msg
#pragma warning restore IDE1006, CS8981
{
    public const int Size = 72;

    public byte idiag_family;
    public byte idiag_state;
    public byte idiag_timer;
    public byte idiag_retrans;
    public inet_diag_sockid id;
    public uint idiag_expires;
    public uint idiag_rqueue;
    public uint idiag_wqueue;
    public uint idiag_uid;
    public uint idiag_inode;
}

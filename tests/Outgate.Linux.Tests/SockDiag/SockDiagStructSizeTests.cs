using System.Runtime.CompilerServices;
using Outgate.Linux.SockDiag;

namespace Outgate.Linux.Tests.SockDiag;

public class SockDiagStructSizeTests
{
    [Fact]
    public void Inet_diag_sockid_is_48_bytes() => Assert.Equal(inet_diag_sockid.Size, Unsafe.SizeOf<inet_diag_sockid>());

    [Fact]
    public void Inet_diag_req_v2_is_56_bytes() => Assert.Equal(56, Unsafe.SizeOf<inet_diag_req_v2>());

    [Fact]
    public void Inet_diag_msg_is_72_bytes() => Assert.Equal(72, Unsafe.SizeOf<inet_diag_msg>());

    [Fact]
    public void A_request_is_header_plus_inet_diag_req_v2() => Assert.Equal(16 + 56, InetDiagRequest.Size);
}

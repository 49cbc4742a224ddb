using System.Runtime.CompilerServices;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.Tests.Netlink;

public class NetlinkStructSizeTests
{
    [Fact]
    public void Nlmsghdr_is_16_bytes() => Assert.Equal(16, Unsafe.SizeOf<nlmsghdr>());

    [Fact]
    public void Nlattr_is_4_bytes() => Assert.Equal(4, Unsafe.SizeOf<nlattr>());

    [Fact]
    public void Sockaddr_nl_is_12_bytes() => Assert.Equal(12, Unsafe.SizeOf<sockaddr_nl>());

    [Fact]
    public void Nfgenmsg_is_4_bytes() => Assert.Equal(nfgenmsg.Size, Unsafe.SizeOf<nfgenmsg>());

    [Fact]
    public void Size_constants_match_layouts()
    {
        Assert.Equal(nlmsghdr.Size, Unsafe.SizeOf<nlmsghdr>());
        Assert.Equal(nlattr.Size, Unsafe.SizeOf<nlattr>());
    }
}

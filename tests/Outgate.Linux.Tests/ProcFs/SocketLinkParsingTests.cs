using System.Text;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class SocketLinkParsingTests
{
    [Theory]
    [InlineData("socket:[12345]", 12345UL)]
    [InlineData("socket:[0]", 0UL)]
    [InlineData("socket:[18446744073709551615]", ulong.MaxValue)]
    public void Socket_links_give_the_inode(string link, ulong inode)
    {
        Assert.True(SocketOwnerIndex.TryParseSocketLink(Encoding.ASCII.GetBytes(link), out var actual));
        Assert.Equal(inode, actual);
    }

    [Theory]
    [InlineData("pipe:[12345]")]
    [InlineData("anon_inode:[eventfd]")]
    [InlineData("/dev/null")]
    [InlineData("socket:[]")]
    [InlineData("socket:[12a]")]
    [InlineData("socket:[+1]")]
    [InlineData("socket:[-1]")]
    [InlineData("socket:[123")]
    [InlineData("socket:[18446744073709551616]")]
    [InlineData("socket:12345")]
    public void Other_links_are_not_sockets(string link) =>
        Assert.False(SocketOwnerIndex.TryParseSocketLink(Encoding.ASCII.GetBytes(link), out _));

    [Theory]
    [InlineData("1", 1)]
    [InlineData("4194304", 4194304)]
    [InlineData("2147483647", int.MaxValue)]
    public void Numeric_proc_entries_are_pids(string name, int pid)
    {
        Assert.True(SocketOwnerIndex.TryParsePid(Encoding.ASCII.GetBytes(name), out var actual));
        Assert.Equal(pid, actual);
    }

    [Theory]
    [InlineData("self")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("2147483648")]
    [InlineData("12a")]
    [InlineData("-1")]
    [InlineData("99999999999")]
    public void Other_proc_entries_are_not_pids(string name) =>
        Assert.False(SocketOwnerIndex.TryParsePid(Encoding.ASCII.GetBytes(name), out _));
}

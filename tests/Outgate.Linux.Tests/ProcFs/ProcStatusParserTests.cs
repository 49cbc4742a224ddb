using System.Text;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class ProcStatusParserTests
{
    private const string Status = """
        Name:	python3
        Umask:	0022
        State:	S (sleeping)
        Tgid:	4242
        Ngid:	0
        Pid:	4242
        PPid:	4100
        TracerPid:	0
        Uid:	65534	65534	65534	65534
        Gid:	65534	65534	65534	65534
        FDSize:	64
        Groups:	65534
        """;

    [Fact]
    public void Reads_the_real_uid() 
    {
        Assert.True(ProcStatusParser.TryParseRealUid(Encoding.ASCII.GetBytes(Status), out var uid));
        Assert.Equal(65534u, uid);
    }

    [Fact]
    public void Real_uid_is_the_first_of_four()
    {
        Assert.True(ProcStatusParser.TryParseRealUid("Name:\tsudo\nUid:\t1000\t0\t0\t0\n"u8, out var uid));
        Assert.Equal(1000u, uid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Name:\tx\n")]
    [InlineData("Uid:\n")]
    [InlineData("Uid:\tabc\t0\n")]
    [InlineData("Uid:\t-1\t0\n")]
    [InlineData("Uid:\t99999999999\t0\n")]
    [InlineData("XUid:\t5\n")]
    public void Missing_or_malformed_uid_line_is_rejected(string text) =>
        Assert.False(ProcStatusParser.TryParseRealUid(Encoding.UTF8.GetBytes(text), out _));
}

using System.Text;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class ProcStatParserTests
{
    // Captured from a 6.x kernel (python3 -c ...), fields after comm abbreviated where irrelevant.
    private const string Python =
        "4242 (python3) S 4100 4242 4100 34816 4242 4194304 1146 0 0 0 2 0 0 0 20 0 1 0 987654 17575936 2392 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

    [Fact]
    public void Reads_pid_comm_state_ppid_and_start_time()
    {
        Assert.True(ProcStatParser.TryParse(Encoding.ASCII.GetBytes(Python), out var stat));
        Assert.Equal(new ProcStat(4242, "python3", 'S', 4100, 987654), stat);
    }

    [Theory]
    [InlineData("a) b (c")]
    [InlineData(") (")]
    [InlineData("))")]
    [InlineData("x y")]
    [InlineData("(sd-pam)")]
    [InlineData("")]
    [InlineData("kworker/0:1H")]
    public void Comm_with_spaces_and_parentheses_ends_at_the_last_parenthesis(string comm)
    {
        var text = $"77 ({comm}) R 1 77 77 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 0 0 18446744073709551615 0 0\n";
        Assert.True(ProcStatParser.TryParse(Encoding.UTF8.GetBytes(text), out var stat));
        Assert.Equal(comm, stat.Comm);
        Assert.Equal(77, stat.Pid);
        Assert.Equal('R', stat.State);
        Assert.Equal(1, stat.ParentPid);
        Assert.Equal(12345UL, stat.StartTimeTicks);
    }

    [Fact]
    public void Kernel_thread_has_parent_2()
    {
        var text = "23 (kworker/1:0H-events_highpri) I 2 0 0 0 -1 69238880 0 0 0 0 0 0 0 0 0 -20 1 0 5 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        Assert.True(ProcStatParser.TryParse(Encoding.ASCII.GetBytes(text), out var stat));
        Assert.Equal("kworker/1:0H-events_highpri", stat.Comm);
        Assert.Equal(2, stat.ParentPid);
        Assert.Equal('I', stat.State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("12 (x")]
    [InlineData("12 x) S 1")]
    [InlineData("(x) S 1")]
    [InlineData("abc (x) S 1")]
    [InlineData("12 (x)")]
    [InlineData("12 (x) S")]
    [InlineData("12 (x) S notanumber")]
    [InlineData("12 (x) SS 1")]
    [InlineData("+12 (x) S 1")]
    [InlineData("12 (x) S -5")]
    [InlineData("99999999999 (x) S 1")]
    public void Malformed_stat_is_rejected(string text) =>
        Assert.False(ProcStatParser.TryParse(Encoding.UTF8.GetBytes(text), out _));
}

using System.Text;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class CommandLineFormatterTests
{
    private static string Format(string raw) => CommandLineFormatter.Format(Encoding.UTF8.GetBytes(raw));

    [Fact]
    public void Arguments_are_joined_with_spaces() =>
        Assert.Equal("/usr/bin/python3 -m http.server 8080", Format("/usr/bin/python3\0-m\0http.server\08080\0"));

    [Fact]
    public void Arguments_with_spaces_are_single_quoted() =>
        Assert.Equal("sh -c 'echo hi there'", Format("sh\0-c\0echo hi there\0"));

    [Fact]
    public void Single_quotes_inside_are_escaped_the_posix_way() =>
        Assert.Equal("python3 -c 'print('\\''x'\\'')'", Format("python3\0-c\0print('x')\0"));

    [Fact]
    public void Empty_arguments_are_shown_as_empty_quotes() =>
        Assert.Equal("prog '' x", Format("prog\0\0x\0"));

    [Fact]
    public void Kernel_threads_have_an_empty_command_line() => Assert.Equal("", Format(""));

    [Fact]
    public void A_title_set_by_setproctitle_is_shown_verbatim() =>
        Assert.Equal("nginx: worker process", Format("nginx: worker process"));

    [Fact]
    public void Missing_final_nul_is_tolerated() => Assert.Equal("a b", Format("a\0b"));

    [Fact]
    public void Invalid_utf8_becomes_replacement_characters() =>
        Assert.Equal("a \uFFFD", CommandLineFormatter.Format([(byte)'a', 0, 0xff, 0]));
}

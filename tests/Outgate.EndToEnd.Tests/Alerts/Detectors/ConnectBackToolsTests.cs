using Outgate.Daemon.Alerts.Detectors;

namespace Outgate.EndToEnd.Tests.Alerts.Detectors;

public sealed class ConnectBackToolsTests
{
    [Theory]
    [InlineData("/bin/sh", ConnectBackKind.Shell)]
    [InlineData("/usr/bin/bash", ConnectBackKind.Shell)]
    [InlineData("/usr/bin/busybox", ConnectBackKind.Shell)]
    [InlineData("/usr/bin/fish", ConnectBackKind.Shell)]
    [InlineData("/usr/bin/python3.11", ConnectBackKind.Interpreter)]
    [InlineData("/usr/bin/python3", ConnectBackKind.Interpreter)]
    [InlineData("/usr/bin/python", ConnectBackKind.Interpreter)]
    [InlineData("/usr/local/bin/python3.13", ConnectBackKind.Interpreter)]
    [InlineData("/usr/bin/perl5.36.0", ConnectBackKind.Interpreter)]
    [InlineData("/usr/bin/ruby3.1", ConnectBackKind.Interpreter)]
    [InlineData("/usr/bin/php8.2", ConnectBackKind.Interpreter)]
    [InlineData("/usr/bin/lua5.4", ConnectBackKind.Interpreter)]
    [InlineData("/usr/bin/tclsh8.6", ConnectBackKind.Interpreter)]
    [InlineData("/usr/bin/node", ConnectBackKind.Interpreter)]
    [InlineData("/usr/bin/nodejs", ConnectBackKind.Interpreter)]
    [InlineData("/bin/nc.openbsd", ConnectBackKind.RelayTool)]
    [InlineData("/bin/nc.traditional", ConnectBackKind.RelayTool)]
    [InlineData("/usr/bin/ncat", ConnectBackKind.RelayTool)]
    [InlineData("/usr/bin/socat", ConnectBackKind.RelayTool)]
    [InlineData("/usr/bin/telnet", ConnectBackKind.RelayTool)]
    public void Shells_interpreters_and_relay_tools_are_recognised_by_base_name(string exe, ConnectBackKind kind)
    {
        var tool = ConnectBackTools.Match(exe, null, []);
        Assert.NotNull(tool);
        Assert.Equal(kind, tool.Kind);
        Assert.Equal(exe, tool.Executable);
    }

    [Theory]
    [InlineData("/usr/bin/curl")]
    [InlineData("/usr/bin/pythonista")]
    [InlineData("/usr/bin/python3.11a")]
    [InlineData("/usr/bin/python3.")]
    [InlineData("/usr/bin/perl-")]
    [InlineData("/usr/bin/bashful")]
    [InlineData("/usr/bin/ncdu")]
    [InlineData("/opt/sh/app")]
    [InlineData("/usr/bin/")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_programs_are_not_tools(string? exe) => Assert.Null(ConnectBackTools.Match(exe, null, []));

    [Fact]
    public void Openssl_counts_only_as_s_client()
    {
        Assert.NotNull(ConnectBackTools.Match("/usr/bin/openssl", "openssl s_client -quiet -connect 10.0.0.2:443", []));
        Assert.Null(ConnectBackTools.Match("/usr/bin/openssl", "openssl dgst -sha256 file", []));
        Assert.Null(ConnectBackTools.Match("/usr/bin/openssl", null, []));
    }

    [Fact]
    public void Extra_tools_from_the_settings_count_too()
    {
        Assert.Null(ConnectBackTools.Match("/usr/bin/gawk", null, []));
        Assert.Equal(ConnectBackKind.RelayTool, ConnectBackTools.Match("/usr/bin/gawk", null, ["gawk"])!.Kind);
    }

    [Fact]
    public void The_reason_names_the_tool_and_the_way_out()
    {
        var tool = ConnectBackTools.Match("/usr/bin/bash", null, [])!;
        Assert.Equal("connect-back: /usr/bin/bash is a shell; allow it with a rule that names it, e.g. outgate allow out app /usr/bin/bash to ...", tool.Reason);
    }
}

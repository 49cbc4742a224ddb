using System.Text;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class CgroupFileParserTests
{
    private static string Select(string content)
    {
        Assert.True(CgroupFileParser.TrySelectPath(Encoding.UTF8.GetBytes(content), out var path));
        return path;
    }

    [Fact]
    public void Pure_v2_line_is_the_path() =>
        Assert.Equal("/system.slice/ssh.service", Select("0::/system.slice/ssh.service\n"));

    [Fact]
    public void Hybrid_host_with_empty_unified_tree_uses_the_systemd_hierarchy() => Assert.Equal(
        "/user.slice/user-1000.slice/session-3.scope",
        Select("""
            12:cpuset:/
            11:memory:/user.slice/user-1000.slice/session-3.scope
            1:name=systemd:/user.slice/user-1000.slice/session-3.scope
            0::/
            """));

    [Fact]
    public void V1_only_docker_host_uses_the_first_non_root_controller_path() => Assert.Equal(
        "/docker/3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100",
        Select("""
            11:cpuset:/
            10:memory:/docker/3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100
            9:devices:/docker/3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100
            """));

    [Fact]
    public void This_test_machines_layout_picks_the_memory_controller() => Assert.Equal(
        "/process_api/7ad070d81f460c323cbe6d5365befe6c",
        Select("9:name=systemd:/\n8:pids:/\n4:memory:/process_api/7ad070d81f460c323cbe6d5365befe6c\n1:cpu:/\n0::/\n"));

    [Fact]
    public void Everything_at_the_root_is_root() => Assert.Equal("/", Select("0::/\n"));

    [Fact]
    public void V2_wins_over_systemd_v1_when_both_are_set() =>
        Assert.Equal("/system.slice/a.service", Select("1:name=systemd:/system.slice/b.service\n0::/system.slice/a.service\n"));

    [Fact]
    public void Cgroup_namespace_relative_paths_are_kept() => Assert.Equal("/../../init.scope", Select("0::/../../init.scope\n"));

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("garbage")]
    [InlineData("0:/nope")]
    [InlineData("0::relative/path")]
    public void Nothing_usable_is_rejected(string content) =>
        Assert.False(CgroupFileParser.TrySelectPath(Encoding.UTF8.GetBytes(content), out _));
}

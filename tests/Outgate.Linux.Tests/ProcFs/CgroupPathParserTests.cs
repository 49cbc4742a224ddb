using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class CgroupPathParserTests
{
    private const string Id = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100";

    [Theory]
    [InlineData("/system.slice/ssh.service", "ssh.service")]
    [InlineData("/system.slice/systemd-resolved.service", "systemd-resolved.service")]
    [InlineData("/user.slice/user-1000.slice/session-3.scope", "session-3.scope")]
    [InlineData("/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice/vte-spawn-1a2b.scope", "vte-spawn-1a2b.scope")]
    [InlineData("/user.slice/user-1000.slice/user@1000.service/app.slice/pipewire.service", "pipewire.service")]
    [InlineData("/user.slice/user-1000.slice/user@1000.service/init.scope", "init.scope")]
    [InlineData("/init.scope", "init.scope")]
    [InlineData("/system.slice/docker.socket", "docker.socket")]
    [InlineData("/system.slice/docker-" + Id + ".scope", "docker-" + Id + ".scope")]
    [InlineData("/system.slice/nginx.service/worker", "nginx.service")]
    public void Systemd_unit_is_the_innermost_service_scope_or_socket(string path, string unit)
    {
        Assert.True(CgroupPathParser.TryGetSystemdUnit(path, out var actual));
        Assert.Equal(unit, actual);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("/docker/" + Id)]
    [InlineData("/user.slice/user-1000.slice")]
    [InlineData("/lxc.payload.web")]
    [InlineData("/.scope")]
    public void No_unit_outside_systemd_units(string path) =>
        Assert.False(CgroupPathParser.TryGetSystemdUnit(path, out _));

    [Theory]
    [InlineData("/system.slice/docker-" + Id + ".scope", "docker")]
    [InlineData("/docker/" + Id, "docker")]
    [InlineData("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12_34.slice/docker-" + Id + ".scope", "docker")]
    [InlineData("/machine.slice/libpod-" + Id + ".scope", "podman")]
    [InlineData("/machine.slice/libpod-" + Id + ".scope/container", "podman")]
    [InlineData("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + Id + ".scope", "podman")]
    [InlineData("/libpod_parent/libpod-" + Id, "podman")]
    [InlineData("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6d2f.slice/cri-containerd-" + Id + ".scope", "containerd")]
    [InlineData("/system.slice/nerdctl-" + Id + ".scope", "containerd")]
    [InlineData("/kubepods.slice/kubepods-pod6d2f.slice/crio-" + Id + ".scope", "cri-o")]
    [InlineData("/kubepods/besteffort/pod2a7e9b1c-1111-2222-3333-444455556666/" + Id, "kubernetes")]
    public void Container_runtime_and_full_id_come_from_the_path(string path, string runtime)
    {
        Assert.True(CgroupPathParser.TryGetContainer(path, out var c));
        Assert.Equal(runtime, c.Runtime);
        Assert.Equal(Id, c.FullId);
        Assert.Null(c.Name);
    }

    [Fact]
    public void Docker_and_podman_short_ids_are_12_hex_digits()
    {
        Assert.True(CgroupPathParser.TryGetContainer("/system.slice/docker-" + Id + ".scope", out var docker));
        Assert.Equal("3f4e5d6c7b8a", docker.ShortId);
        Assert.True(CgroupPathParser.TryGetContainer("/machine.slice/libpod-" + Id + ".scope", out var podman));
        Assert.Equal("3f4e5d6c7b8a", podman.ShortId);
        Assert.True(CgroupPathParser.TryGetContainer("/kubepods.slice/cri-containerd-" + Id + ".scope", out var containerd));
        Assert.Equal(Id, containerd.ShortId);
    }

    [Theory]
    [InlineData("/lxc.payload.web", "web")]
    [InlineData("/lxc.payload.web/system.slice/nginx.service", "web")]
    [InlineData("/lxc/db1", "db1")]
    [InlineData("/lxc/db1/init.scope", "db1")]
    public void Lxc_container_name_is_in_the_path(string path, string name)
    {
        Assert.True(CgroupPathParser.TryGetContainer(path, out var c));
        Assert.Equal(new CgroupContainer("lxc", name, name), c);
    }

    [Fact]
    public void Innermost_container_wins_for_docker_in_docker()
    {
        var inner = new string('a', 64);
        Assert.True(CgroupPathParser.TryGetContainer($"/system.slice/docker-{Id}.scope/docker/{inner}", out var c));
        Assert.Equal(inner, c.FullId);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("/system.slice/docker.service")]
    [InlineData("/system.slice/containerd.service")]
    [InlineData("/machine.slice/libpod-conmon-" + Id + ".scope")]
    [InlineData("/lxc.monitor.web")]
    [InlineData("/system.slice/docker-notahexid.scope")]
    [InlineData("/docker/ABCDEF")]
    [InlineData("/user.slice/user-1000.slice/session-3.scope")]
    [InlineData("/kubepods.slice/kubepods-burstable.slice")]
    public void Not_a_container(string path) =>
        Assert.False(CgroupPathParser.TryGetContainer(path, out _));
}

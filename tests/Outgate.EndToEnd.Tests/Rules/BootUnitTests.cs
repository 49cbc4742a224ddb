using Outgate.Cli.Firewall;

namespace Outgate.EndToEnd.Tests.Rules;

public class BootUnitTests
{
    [Fact]
    public void The_packaged_unit_is_the_one_outgate_enable_installs()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Outgate.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var packaged = File.ReadAllText(Path.Combine(dir.FullName, "packaging", BootUnit.Name));
        Assert.Equal(BootUnit.Text, packaged);
        Assert.Contains("Before=network-pre.target", packaged);
        Assert.Contains("Wants=network-pre.target", packaged);
        Assert.Contains("reload --boot", packaged);
    }

    [Fact]
    public void Boot_persistence_is_never_installed_for_custom_directories()
    {
        Assert.False(BootUnit.Applies(new FirewallPaths("/tmp/og-etc", "/var/lib/outgate")));
        Assert.False(BootUnit.Applies(new FirewallPaths("/etc/outgate", "/tmp/og-state")));
        Assert.Null(BootUnit.TryEnable(new FirewallPaths("/tmp/og-etc", "/tmp/og-state")));
    }
}

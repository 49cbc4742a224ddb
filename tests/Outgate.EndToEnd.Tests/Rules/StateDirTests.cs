using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>`ip netns exec NS outgate --config-dir D enable` keeps its state next to D, never in /var/lib/outgate.</summary>
public class StateDirTests
{
    [Fact]
    public async Task Only_config_dir_given_keeps_state_inside_it()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        var dir = Directory.CreateTempSubdirectory("og-sd-").FullName;
        try
        {
            var r = await Shell.RunAsync("ip", ["netns", "exec", ns.Name, "dotnet", OutgateCli.Dll, "--config-dir", dir, "enable"]);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("ENABLED=yes", await File.ReadAllTextAsync(Path.Combine(dir, ".state", "outgate.conf"), TestContext.Current.CancellationToken));
            var status = await Shell.RunAsync("ip", ["netns", "exec", ns.Name, "dotnet", OutgateCli.Dll, "--config-dir", dir, "status"]);
            Assert.Contains("Status: active", status.StdOut);
            Assert.DoesNotContain("differs", status.StdOut);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

namespace Outgate.Policy.Tests;

/// <summary>The seed's ufw hardening recipes, as typed by an admin (with outgate in place of ufw).</summary>
internal static class Recipes
{
    public static readonly Dictionary<string, string[]> All = new()
    {
        ["default"] = [],
        ["deny-all-allow-web-dns"] =
        [
            "default deny incoming", "default deny outgoing", "default deny forward",
            "allow out 80", "allow out 443", "allow out 53",
        ],
        ["vpn-only"] =
        [
            "default deny incoming", "default deny outgoing", "default deny forward",
            "allow out on tun0 to any port 53", "allow out on tun0 to any port 80", "allow out on tun0 to any port 443",
        ],
        ["vpn-only-proto"] =
        [
            "default deny incoming", "default deny outgoing", "default deny forward",
            "allow out on tun0 to any port 53 proto udp", "allow out on tun0 to any port 443 proto tcp",
        ],
        ["server-mixed"] =
        [
            "default deny incoming", "default reject outgoing", "logging medium",
            "allow in on eth0 from 1.2.3.4 to any port 22 proto tcp", "limit 22/tcp", "deny 53/udp",
            "allow from 10.0.0.0/8", "allow out 443/tcp", "allow out to any port 53",
            "reject out to 192.168.0.0/16", "allow out log to 2001:db8::/32 port 80,443,8000:8080 proto tcp comment 'v6 web'",
            "allow out to 10.0.0.1 port 80 proto tcp", "allow out to 10.0.0.2 port 80 proto tcp", "allow out to 10.0.0.0/8 port 80 proto tcp",
            "allow out proto esp to any", "route allow in on eth1 to 10.1.0.0/16 port 80 proto tcp",
        ],
        ["logging-full"] = ["default deny outgoing", "logging full", "allow out log-all to any port 53 proto udp"],
    };

    /// <summary>Runs the commands through the grammar and the editor (in memory) from the default policy.</summary>
    public static FirewallPolicy Build(string name)
    {
        var set = PolicyFileSet.FromFiles("/nonexistent/outgate", []).FileSet!;
        foreach (var line in All[name])
        {
            var command = UfwGrammar.ParseCommand(Tokens.Split(line));
            Assert.True(command.Succeeded, line + ": " + string.Join("; ", command.Errors));
            var edit = set.Apply(command.Value!);
            Assert.True(edit.Changed, line + ": " + edit.Message);
            set = edit.FileSet!;
        }

        return set.Policy;
    }
}

using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>A <see cref="ReachabilityLab"/> with an <see cref="OutgateCli"/> that runs in the client namespace.</summary>
internal sealed class FirewallLab : IAsyncDisposable
{
    private FirewallLab(ReachabilityLab lab)
    {
        Lab = lab;
        Cli = new OutgateCli(lab.Client);
    }

    public ReachabilityLab Lab { get; }
    public OutgateCli Cli { get; }

    /// <summary>Every service: the matrix when nothing blocks.</summary>
    public static Service[] Everything => [.. ReachabilityLab.AllServices];

    /// <summary>tcp 53/80/443 and udp 53 on both families: seed recipes (a) and (b).</summary>
    public static Service[] WebAndDns => [.. ReachabilityLab.Both("tcp", 53, 80, 443), .. ReachabilityLab.Both("udp", 53)];

    public static async Task<FirewallLab> CreateAsync(string tag)
    {
        NetworkNamespace.SkipUnlessRoot();
        return new FirewallLab(await ReachabilityLab.CreateAsync(tag));
    }

    /// <summary>Runs several CLI lines in order, each must succeed.</summary>
    public async Task RunAllAsync(params string[] lines)
    {
        foreach (var line in lines) await Cli.OkAsync(line);
    }

    public async Task<string> NftAsync(params string[] args) => (await Lab.Client.ExecCheckedAsync("nft", args)).StdOut;

    /// <summary>The table as text without counter values (they change with traffic), or null when absent.</summary>
    public async Task<string?> TableTextAsync(string name = "outgate")
    {
        var r = await Lab.Client.ExecAsync("nft", "list", "table", "inet", name);
        if (r.ExitCode != 0) return null;
        return System.Text.RegularExpressions.Regex.Replace(r.StdOut, @"packets \d+ bytes \d+", "packets N bytes N");
    }

    public async ValueTask DisposeAsync()
    {
        Cli.Dispose();
        await Lab.DisposeAsync();
    }
}

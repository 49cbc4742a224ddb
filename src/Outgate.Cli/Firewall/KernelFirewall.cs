using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Outgate.Linux.Nftables;
using Outgate.Policy;

namespace Outgate.Cli.Firewall;

/// <summary>
/// The kernel side of the firewall commands: table <c>inet outgate</c> (replaced atomically from a
/// compiled <see cref="NftRuleset"/>) and the panic table <c>inet outgate_panic</c>. Works in the
/// network namespace of the calling process (so <c>ip netns exec NS outgate …</c> changes NS only).
/// No other table is ever listed or changed.
/// </summary>
public sealed class KernelFirewall : IDisposable
{
    public static readonly NftTableId MainTable = new("inet", NftRulesetCompiler.DefaultTableName);

    private readonly FirewallPaths _paths;
    private readonly NftClient _client;
    private readonly NftOwnedTable _main;
    private readonly NftOwnedTable _panic;

    private KernelFirewall(FirewallPaths paths, NftClient client)
    {
        _paths = paths;
        _client = client;
        _main = new NftOwnedTable(client, MainTable);
        _panic = new NftOwnedTable(client, PanicTable.Id);
    }

    /// <summary>Opens libnftables; fails with exit code 2 when not root and 3 when libnftables is missing.</summary>
    public static KernelFirewall Open(FirewallPaths paths)
    {
        if (!Environment.IsPrivilegedProcess)
            throw new FirewallException(ExitCodes.NotPermitted, "outgate: you need to be root to change the firewall (try sudo)");
        try
        {
            return new KernelFirewall(paths, new NftClient());
        }
        catch (NftUnavailableException ex)
        {
            throw new FirewallException(ExitCodes.NftablesUnavailable, $"outgate: {ex.Message}", ex);
        }
    }

    /// <summary>Time libnftables took for the last change (parse + kernel commit).</summary>
    public TimeSpan LastApplyTime { get; private set; }

    public bool TableExists() => Guard(() => _main.Exists());

    /// <summary>The current table as <c>nft -j list table inet outgate</c> prints it; null when absent.</summary>
    public string? Snapshot() => Guard(() => _main.Snapshot());

    /// <summary>
    /// Replaces the table with <paramref name="ruleset"/> in one transaction, after saving the
    /// previous table to the state directory. If nft refuses, the previous table stays (exit code 4).
    /// </summary>
    public void Apply(NftRuleset ruleset)
    {
        var previous = Snapshot();
        AtomicFile.Write(_paths.PreviousTable, previous ?? "null");
        // The compiler emits the conntrack pickup rule itself; AddTo only guards JSON made without it (a no-op here).
        Guard(() => _main.Replace(ConntrackPickup.AddTo(JsonNode.Parse(ruleset.CreateJson)!)));
        LastApplyTime = _main.LastApplyTime;
        RecordApplied(ruleset);
    }

    /// <summary>Deletes our table (nothing else); no error when it is absent.</summary>
    public void Remove()
    {
        var previous = Snapshot();
        if (previous is not null) AtomicFile.Write(_paths.PreviousTable, previous);
        Guard(() => _main.Delete());
        LastApplyTime = _main.LastApplyTime;
        File.Delete(_paths.Applied);
    }

    /// <summary>Puts a <see cref="Snapshot"/> back (null = no table) and records it as applied.</summary>
    public void Restore(string? snapshot, string? policyHash)
    {
        Guard(() => _main.Restore(snapshot));
        if (snapshot is null) File.Delete(_paths.Applied);
        else WriteApplied(policyHash ?? "", NftListing.Normalize(Snapshot()));
    }

    public bool PanicIsOn() => Guard(() => _panic.Exists());

    public void SetPanic(bool on) => Guard(() =>
    {
        if (on) _panic.Replace(PanicTable.Content());
        else _panic.Delete();
        LastApplyTime = _panic.LastApplyTime;
    });

    /// <summary>
    /// Compares the kernel with what the policy compiles to. Null when they agree; otherwise why not.
    /// <paramref name="expected"/> is null when the firewall is disabled (then no table should exist).
    /// </summary>
    public string? FindDrift(NftRuleset? expected)
    {
        var listing = Snapshot();
        if (expected is null)
            return listing is null ? null : "the firewall is disabled but table inet outgate is loaded";
        if (listing is null)
            return "table inet outgate is missing from the kernel";
        if (!File.Exists(_paths.Applied))
            return "the loaded table was not applied by this configuration";
        var applied = JsonNode.Parse(File.ReadAllText(_paths.Applied))!;
        if ((string?)applied["policy"] != Hash(expected.CreateJson))
            return "the policy files changed since the last apply";
        if ((string?)applied["kernel"] != NftListing.Normalize(listing))
            return "table inet outgate was changed outside outgate";
        return null;
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private void RecordApplied(NftRuleset ruleset) => WriteApplied(Hash(ruleset.CreateJson), NftListing.Normalize(Snapshot()));

    private void WriteApplied(string policyHash, string kernel) =>
        AtomicFile.Write(_paths.Applied, new JsonObject { ["policy"] = policyHash, ["kernel"] = kernel }.ToJsonString());

    /// <summary>A listing without handles, counter values and metainfo: equal for equal rulesets.</summary>
    private static T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (NftCommandException ex) when (ex.IsPermissionDenied)
        {
            throw new FirewallException(ExitCodes.NotPermitted, "outgate: the kernel refused: operation not permitted (run as root with CAP_NET_ADMIN, try sudo)", ex);
        }
        catch (NftCommandException ex)
        {
            throw new FirewallException(ExitCodes.KernelRefused, $"outgate: {ex.Message}\nThe previous ruleset is still active.", ex);
        }
    }

    private static void Guard(Action work) => Guard(() => { work(); return 0; });

    public void Dispose() => _client.Dispose();
}

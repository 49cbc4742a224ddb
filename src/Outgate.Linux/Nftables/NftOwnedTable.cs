using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Outgate.Linux.Nftables;

/// <summary>
/// The one table a program owns (e.g. <c>inet outgate</c>). Every change is a single atomic
/// transaction on this table; other tables are never listed, flushed or edited.
/// </summary>
public sealed class NftOwnedTable
{
    private readonly NftClient _client;

    public NftOwnedTable(NftClient client, NftTableId id)
    {
        if (!client.IsJson) throw new ArgumentException("the owned table needs a JSON NftClient", nameof(client));
        _client = client;
        Id = id;
    }

    public NftTableId Id { get; }

    /// <summary>How long the last change took inside libnftables (parse + kernel commit).</summary>
    public TimeSpan LastApplyTime { get; private set; }

    /// <summary>The table as <c>nft -j list table</c> prints it, or null when it does not exist.</summary>
    public string? Snapshot() => _client.TryListTable(Id.Family, Id.Name);

    public bool Exists() => _client.TableExists(Id.Family, Id.Name);

    /// <summary>Atomically replaces the table with <paramref name="content"/> (see <see cref="NftTableBatch.Replace"/>).</summary>
    /// <exception cref="NftCommandException">Refused by nft or the kernel; the previous table is untouched.</exception>
    public void Replace(JsonNode content) => Run(NftTableBatch.Replace(Id, content));

    /// <summary>Removes the table; nothing happens when it does not exist.</summary>
    public void Delete() => Run(NftTableBatch.Delete(Id));

    /// <summary>Puts back a <see cref="Snapshot"/>: null means "there was no table".</summary>
    public void Restore(string? snapshot)
    {
        if (snapshot is null) Delete();
        else Replace(NftTableBatch.ContentFromListing(snapshot, Id));
    }

    private void Run(JsonObject batch)
    {
        var sw = Stopwatch.StartNew();
        _client.Run(batch);
        LastApplyTime = sw.Elapsed;
    }
}

using System.Text.Json.Nodes;

namespace Outgate.Linux.Nftables;

/// <summary>
/// Builds libnftables JSON transactions that touch exactly one table. Replacing a table is
/// <c>add table; delete table; &lt;new content&gt;</c> in one buffer: the <c>add</c> makes the
/// <c>delete</c> valid on the first apply, and the kernel commits all of it or nothing, so there is
/// no moment without the table and a refused buffer leaves the old one in place.
/// </summary>
public static class NftTableBatch
{
    /// <summary>A transaction that replaces <paramref name="table"/> with <paramref name="content"/>.</summary>
    /// <param name="content">
    /// Commands or bare objects (<c>{"table":…}</c>, <c>{"chain":…}</c>, <c>{"add":{"rule":…}}</c>, …)
    /// that all belong to <paramref name="table"/>; a libnftables document (<c>{"nftables":[…]}</c>)
    /// or a <c>nft -j list table</c> listing is accepted as is.
    /// </param>
    /// <exception cref="ArgumentException">Some object names another table.</exception>
    public static JsonObject Replace(NftTableId table, JsonNode content)
    {
        // Add(JsonNode), not the generic Add<T>: the latter serializes by reflection (not AOT-safe).
        var commands = new JsonArray();
        commands.Add((JsonNode)Command("add", TableObject(table)));
        commands.Add((JsonNode)Command("delete", TableObject(table)));
        foreach (var item in ContentOf(content, table))
            commands.Add((JsonNode)item);
        return Document(commands);
    }

    /// <summary>A transaction that removes <paramref name="table"/> and does not fail when it is absent.</summary>
    public static JsonObject Delete(NftTableId table) =>
        Document(new JsonArray(Command("add", TableObject(table)), Command("delete", TableObject(table))));

    /// <summary>
    /// Turns a listing (<c>nft -j list table</c>) into content for <see cref="Replace"/>: metainfo
    /// dropped, handles removed (a handle in an add command would name an existing rule).
    /// </summary>
    public static JsonArray ContentFromListing(string listingJson, NftTableId table)
    {
        var doc = JsonNode.Parse(listingJson) ?? throw new FormatException("empty nft listing");
        return new JsonArray([.. ContentOf(doc, table)]);
    }

    private static List<JsonObject> ContentOf(JsonNode content, NftTableId table)
    {
        var items = content switch
        {
            JsonObject o when o["nftables"] is JsonArray a => a,
            JsonArray a => a,
            _ => throw new ArgumentException("expected a libnftables JSON document {\"nftables\":[...]} or an array of commands", nameof(content)),
        };
        var result = new List<JsonObject>();
        foreach (var item in items)
        {
            if (item is not JsonObject obj) throw new ArgumentException($"not a JSON object in the nftables array: {item?.ToJsonString()}", nameof(content));
            if (obj.ContainsKey("metainfo")) continue;
            var copy = (JsonObject)obj.DeepClone();
            CheckTable(copy, table);
            StripHandles(copy);
            result.Add(copy);
        }
        return result;
    }

    private static void CheckTable(JsonObject item, NftTableId table)
    {
        // Either a bare object {"rule":{...}} or a command {"add":{"rule":{...}}}.
        foreach (var (verb, value) in item)
        {
            var inner = value as JsonObject;
            if (inner is null) continue;
            foreach (var (kind, body) in verb is "add" or "insert" or "create" or "replace" or "delete" or "flush" ? inner : new JsonObject { [verb] = inner.DeepClone() })
            {
                if (body is not JsonObject b) continue;
                var family = (string?)b["family"];
                var name = kind == "table" ? (string?)b["name"] : (string?)b["table"];
                if (family != table.Family || name != table.Name)
                    throw new ArgumentException($"a {kind} for table '{family} {name}' is not part of table '{table}': refusing to touch other tables", nameof(item));
            }
        }
    }

    private static void StripHandles(JsonObject item)
    {
        foreach (var (_, value) in item)
        {
            if (value is not JsonObject inner) continue;
            inner.Remove("handle");
            foreach (var (_, body) in inner)
                if (body is JsonObject b) b.Remove("handle");
        }
    }

    private static JsonObject TableObject(NftTableId table) =>
        new() { ["table"] = new JsonObject { ["family"] = table.Family, ["name"] = table.Name } };

    private static JsonObject Command(string verb, JsonObject obj) => new() { [verb] = obj };

    private static JsonObject Document(JsonArray commands) => new() { ["nftables"] = commands };
}

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

    private static readonly HashSet<string> Verbs = ["add", "create", "insert", "replace", "delete", "flush"];

    /// <summary>
    /// Each item is one command <c>{"add":{"rule":{…}}}</c> or one bare object <c>{"rule":{…}}</c> (libnftables
    /// treats that as add) whose body names <paramref name="table"/>. Anything else — <c>{"flush":{"ruleset":null}}</c>,
    /// a list, an object of another table — is refused.
    /// </summary>
    private static void CheckTable(JsonObject item, NftTableId table)
    {
        var (kind, body) = ObjectOf(item);
        if (body is null)
            throw new ArgumentException($"'{item.ToJsonString()}' is not a command on one object of table '{table}': refusing", nameof(item));
        var family = body["family"]?.GetValue<string>();
        var name = (kind == "table" ? body["name"] : body["table"])?.GetValue<string>();
        if (family != table.Family || name != table.Name)
            throw new ArgumentException($"a {kind} for table '{family} {name}' is not part of table '{table}': refusing to touch other tables", nameof(item));
    }

    /// <summary>The object a command or bare item is about: ("rule", {…}); body null when the shape is not one object.</summary>
    private static (string Kind, JsonObject? Body) ObjectOf(JsonObject item)
    {
        if (item.Count != 1) return ("", null);
        var (key, value) = item.First();
        var target = Verbs.Contains(key) ? value as JsonObject : item;
        if (target is null || target.Count != 1) return (key, null);
        var (kind, body) = target.First();
        return (kind, body as JsonObject);
    }

    private static void StripHandles(JsonObject item) => ObjectOf(item).Body?.Remove("handle");

    private static JsonObject TableObject(NftTableId table) =>
        new() { ["table"] = new JsonObject { ["family"] = table.Family, ["name"] = table.Name } };

    private static JsonObject Command(string verb, JsonObject obj) => new() { [verb] = obj };

    private static JsonObject Document(JsonArray commands) => new() { ["nftables"] = commands };
}

using System.Text.Json.Nodes;

namespace Outgate.Linux.Nftables;

/// <summary>Comparing table listings (<c>nft -j list table</c>) for equality of content.</summary>
public static class NftListing
{
    /// <summary>A listing without handles, counter values and metainfo: equal for equal rulesets; "" for none.</summary>
    public static string Normalize(string? listing)
    {
        if (listing is null) return "";
        var doc = JsonNode.Parse(listing)!;
        var items = new JsonArray();
        foreach (var item in doc["nftables"]!.AsArray())
        {
            if (item is not JsonObject o || o.ContainsKey("metainfo")) continue;
            var copy = o.DeepClone();
            Scrub(copy);
            items.Add(copy);
        }
        return items.ToJsonString();
    }

    private static void Scrub(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("handle");
                if (o["counter"] is JsonObject) o["counter"] = null;
                foreach (var (_, v) in o) Scrub(v);
                break;
            case JsonArray a:
                foreach (var v in a) Scrub(v);
                break;
        }
    }
}

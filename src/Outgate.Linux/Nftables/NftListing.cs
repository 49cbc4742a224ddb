using System.Text.Json.Nodes;

namespace Outgate.Linux.Nftables;

/// <summary>Comparing table listings (<c>nft -j list table</c>) for equality of content.</summary>
public static class NftListing
{
    /// <summary>
    /// A listing without handles, counter values, metainfo and the elements of timeout sets: equal for
    /// equal rulesets; "" for none. Timeout sets are the ones the daemon fills from DNS answers, so
    /// their contents change all the time and are not part of what the admin applied.
    /// </summary>
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
            if (copy["set"] is JsonObject set && IsTimeoutSet(set)) set.Remove("elem");
            items.Add(copy);
        }
        return items.ToJsonString();
    }

    private static bool IsTimeoutSet(JsonObject set) =>
        set["flags"] switch
        {
            JsonArray flags => flags.Any(f => f?.GetValue<string>() == "timeout"),
            JsonValue flag => flag.GetValue<string>() == "timeout",
            _ => false,
        };

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

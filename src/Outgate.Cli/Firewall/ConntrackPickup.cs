using System.Text.Json.Nodes;

namespace Outgate.Cli.Firewall;

/// <summary>
/// Keeps connections that existed before the first apply (an SSH session) alive. In a namespace
/// where nothing used conntrack yet, such a flow is unknown to the kernel; its next packet is
/// picked up mid-stream and reported as <c>ct state new</c> (verified: the session is cut without
/// this). Conntrack only picks up a TCP packet with ACK and without SYN (anything else is
/// invalid), and such a packet cannot open a connection, so accepting
/// <c>tcp flags &amp; (syn|ack) == ack ct state new</c> right after the established/related rule
/// of the input and output chains keeps old sessions without letting anything new through.
/// The compiler now emits this rule (<see cref="Outgate.Policy.NftRulesetCompiler.ConntrackPickupComment"/>), so
/// <see cref="AddTo"/> finds it and changes nothing; it stays as a guard for JSON compiled without it.
/// </summary>
public static class ConntrackPickup
{
    public const string Comment = Outgate.Policy.NftRulesetCompiler.ConntrackPickupComment;

    public static JsonNode AddTo(JsonNode document)
    {
        if (document["nftables"] is not JsonArray items) return document;
        if (items.Any(i => i?["add"]?["rule"]?["comment"]?.GetValue<string>() == Comment)) return document;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i]?["add"]?["rule"] is not JsonObject rule) continue;
            var chain = (string?)rule["chain"];
            if (chain is not ("input" or "output") || !IsEstablishedAccept(rule)) continue;
            items.Insert(i + 1, PickupRule((string)rule["family"]!, (string)rule["table"]!, chain));
            i++;
        }
        return document;
    }

    private static bool IsEstablishedAccept(JsonObject rule) =>
        rule["expr"] is JsonArray { Count: 2 } expr
        && expr[0]?["match"]?["left"]?["ct"]?["key"]?.GetValue<string>() == "state"
        && expr[0]!["match"]!["right"]!.ToJsonString().Contains("established", StringComparison.Ordinal)
        && expr[1] is JsonObject last && last.ContainsKey("accept");

    private static JsonObject PickupRule(string family, string table, string chain) => new()
    {
        ["add"] = new JsonObject
        {
            ["rule"] = new JsonObject
            {
                ["family"] = family, ["table"] = table, ["chain"] = chain, ["comment"] = Comment,
                ["expr"] = new JsonArray(
                    new JsonObject { ["match"] = new JsonObject { ["op"] = "==",
                        ["left"] = new JsonObject { ["&"] = new JsonArray( new JsonObject { ["payload"] = new JsonObject { ["protocol"] = "tcp", ["field"] = "flags" } }, new JsonArray( "syn", "ack" ) ) },
                        ["right"] = "ack" } },
                    new JsonObject { ["match"] = new JsonObject { ["op"] = "in", ["left"] = new JsonObject { ["ct"] = new JsonObject { ["key"] = "state" } }, ["right"] = "new" } },
                    new JsonObject { ["accept"] = null }
                ),
            },
        },
    };
}

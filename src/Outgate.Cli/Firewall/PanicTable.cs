using System.Text.Json.Nodes;
using Outgate.Linux.Nftables;

namespace Outgate.Cli.Firewall;

/// <summary>
/// <c>outgate panic on</c>: table <c>inet outgate_panic</c> whose input, output and forward chains
/// drop everything except loopback, established flows included. Its chains run at priority -300,
/// before ours and before most others, and a drop in any base chain is final. Independent of the
/// policy files, so it works even when they are broken.
/// </summary>
public static class PanicTable
{
    public static readonly NftTableId Id = new("inet", "outgate_panic");

    /// <summary>The same table as nft text (for --dry-run).</summary>
    public const string Text = """
        table inet outgate_panic {
        	chain input {
        		type filter hook input priority -300; policy drop;
        		iif "lo" accept
        	}

        	chain output {
        		type filter hook output priority -300; policy drop;
        		oif "lo" accept
        	}

        	chain forward {
        		type filter hook forward priority -300; policy drop;
        	}
        }

        """;

    public static JsonNode Content()
    {
        var items = new JsonArray( new JsonObject { ["table"] = new JsonObject { ["family"] = Id.Family, ["name"] = Id.Name } } );
        foreach (var (chain, hook, iface) in new[] { ("input", "input", "iif"), ("output", "output", "oif"), ("forward", "forward", (string?)null) })
        {
            items.Add((JsonNode)new JsonObject
            {
                ["chain"] = new JsonObject
                {
                    ["family"] = Id.Family, ["table"] = Id.Name, ["name"] = chain,
                    ["type"] = "filter", ["hook"] = hook, ["prio"] = -300, ["policy"] = "drop",
                },
            });
            if (iface is null) continue;
            items.Add((JsonNode)new JsonObject
            {
                ["rule"] = new JsonObject
                {
                    ["family"] = Id.Family, ["table"] = Id.Name, ["chain"] = chain,
                    ["expr"] = new JsonArray(
                        new JsonObject { ["match"] = new JsonObject { ["op"] = "==", ["left"] = new JsonObject { ["meta"] = new JsonObject { ["key"] = iface } }, ["right"] = "lo" } },
                        new JsonObject { ["accept"] = null }
                    ),
                },
            });
        }
        return new JsonObject { ["nftables"] = items };
    }
}

using System.Net;
using System.Text.Json;

namespace Outgate.Policy.Tests;

/// <summary>
/// Interprets the compiled libnftables JSON for the first packet of a new connection, the way the kernel evaluates the
/// base chain: statements left to right, first verdict wins, chain policy at the end. Used to check that what we would
/// apply agrees with <see cref="PolicyMatcher"/>. Rate limits are never exceeded by a single packet; hop limit is 255.
/// </summary>
internal sealed class NftJsonEvaluator
{
    private static readonly Dictionary<string, int> IcmpTypes = new()
    {
        ["echo-reply"] = 0, ["destination-unreachable"] = 3, ["echo-request"] = 8, ["time-exceeded"] = 11, ["parameter-problem"] = 12,
    };

    private static readonly Dictionary<string, int> Icmp6Types = new()
    {
        ["destination-unreachable"] = 1, ["packet-too-big"] = 2, ["time-exceeded"] = 3, ["parameter-problem"] = 4, ["echo-request"] = 128,
        ["mld-listener-query"] = 130, ["mld-listener-report"] = 131, ["nd-router-solicit"] = 133, ["nd-router-advert"] = 134,
        ["nd-neighbor-solicit"] = 135, ["nd-neighbor-advert"] = 136, ["nd-redirect"] = 137, ["mld2-listener-report"] = 143,
    };

    private readonly Dictionary<string, (string Policy, List<JsonElement[]> Rules)> chains = [];
    private readonly JsonDocument document;

    public NftJsonEvaluator(string json)
    {
        document = JsonDocument.Parse(json);
        foreach (var command in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!command.TryGetProperty("add", out var add))
            {
                continue;
            }

            if (add.TryGetProperty("chain", out var chain))
            {
                chains[chain.GetProperty("hook").GetString()!] = (chain.GetProperty("policy").GetString()!, []);
            }
            else if (add.TryGetProperty("rule", out var rule))
            {
                chains[rule.GetProperty("chain").GetString()!].Rules.Add(rule.GetProperty("expr").EnumerateArray().ToArray());
            }
        }
    }

    public Verdict Evaluate(PacketFacts p)
    {
        var hook = p.Direction switch { Direction.In => "input", Direction.Out => "output", _ => "forward" };
        if (!chains.TryGetValue(hook, out var chain))
        {
            return Verdict.Accept;
        }

        foreach (var rule in chain.Rules)
        {
            if (Run(rule, p) is { } verdict)
            {
                return verdict;
            }
        }

        return chain.Policy == "accept" ? Verdict.Accept : Verdict.Drop;
    }

    private static Verdict? Run(JsonElement[] statements, PacketFacts p)
    {
        foreach (var statement in statements)
        {
            var property = statement.EnumerateObject().Single();
            switch (property.Name)
            {
                case "accept":
                    return Verdict.Accept;
                case "drop":
                    return Verdict.Drop;
                case "reject":
                    return Verdict.Reject;
                case "log" or "limit":
                    break; // a single packet is never over the log limit
                case "set":
                    return null; // "add @limit_N { saddr limit rate over ... }": never over for one packet, the rule stops
                case "vmap":
                    var key = property.Value.GetProperty("key");
                    foreach (var entry in property.Value.GetProperty("data").GetProperty("set").EnumerateArray())
                    {
                        if (Equal(key, entry[0], p))
                        {
                            return entry[1].EnumerateObject().Single().Name == "accept" ? Verdict.Accept : Verdict.Drop;
                        }
                    }

                    return null;
                case "match":
                    if (!Match(property.Value, p))
                    {
                        return null;
                    }

                    break;
                default:
                    throw new InvalidOperationException("unknown statement " + property.Name);
            }
        }

        return null;
    }

    private static bool Equal(JsonElement key, JsonElement element, PacketFacts p)
    {
        if (key.TryGetProperty("concat", out var parts))
        {
            var values = element.GetProperty("concat").EnumerateArray().ToArray();
            return parts.EnumerateArray().Select((part, i) => Test(part, values[i], p)).All(x => x);
        }

        return Test(key, element, p);
    }

    private static bool Match(JsonElement match, PacketFacts p)
    {
        var left = match.GetProperty("left");
        var right = match.GetProperty("right");
        if (left.TryGetProperty("concat", out var parts))
        {
            var lefts = parts.EnumerateArray().ToArray();
            return right.GetProperty("set").EnumerateArray().Any(element =>
            {
                var values = element.GetProperty("concat").EnumerateArray().ToArray();
                return lefts.Select((l, i) => Test(l, values[i], p)).All(x => x);
            });
        }

        return Test(left, right, p);
    }

    private static bool Test(JsonElement left, JsonElement right, PacketFacts p)
    {
        if (left.TryGetProperty("ct", out _))
        {
            var states = right.ValueKind == JsonValueKind.Array ? right.EnumerateArray().Select(s => s.GetString()).ToArray() : [right.GetString()];
            return states.Contains("new");
        }

        if (left.TryGetProperty("&", out _))
        {
            // meta mark & DaemonMarks.X: test packets carry no mark (there is no daemon); tcp flags & (syn|ack) == ack:
            // test packets open connections, so they carry SYN.
            return false;
        }

        var v6 = p.Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (left.TryGetProperty("meta", out var meta))
        {
            var key = meta.GetProperty("key").GetString();
            return key switch
            {
                "iifname" or "iif" => Interface(p.InInterface, right),
                "oifname" or "oif" => Interface(p.OutInterface, right),
                "l4proto" => Any(right, e => Protocol(e) == p.Protocol),
                "nfproto" => right.GetString() == (v6 ? "ipv6" : "ipv4"),
                _ => throw new InvalidOperationException("meta " + key),
            };
        }

        var payload = left.GetProperty("payload");
        var protocol = payload.GetProperty("protocol").GetString();
        var field = payload.GetProperty("field").GetString();
        switch (protocol)
        {
            case "ip" or "ip6":
                if ((protocol == "ip6") != v6)
                {
                    return false;
                }

                if (field == "hoplimit")
                {
                    return right.GetInt32() == 255;
                }

                var address = field == "saddr" ? p.Source : p.Destination;
                return Any(right, e => Contains(e, address));
            case "tcp" or "udp" or "th":
                var number = protocol == "tcp" ? 6 : protocol == "udp" ? 17 : p.Protocol;
                if (p.Protocol != number || number is not (6 or 17))
                {
                    return false;
                }

                var port = field == "sport" ? p.SourcePort : p.DestinationPort;
                return Any(right, e => e.ValueKind == JsonValueKind.Number ? e.GetInt32() == port : port >= e.GetProperty("range")[0].GetInt32() && port <= e.GetProperty("range")[1].GetInt32());
            case "icmp":
                return !v6 && p.Protocol == 1 && Any(right, e => IcmpTypes[e.GetString()!] == p.IcmpType);
            case "icmpv6":
                return v6 && p.Protocol == 58 && Any(right, e => Icmp6Types[e.GetString()!] == p.IcmpType);
            default:
                throw new InvalidOperationException("payload " + protocol);
        }
    }

    private static bool Interface(string? name, JsonElement right)
    {
        var pattern = right.GetString()!;
        return name is not null && (pattern.EndsWith('*') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : name == pattern);
    }

    private static int Protocol(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetInt32() : e.GetString() switch
    {
        "tcp" => 6,
        "udp" => 17,
        var other => throw new InvalidOperationException("l4proto " + other),
    };

    private static bool Contains(JsonElement e, IPAddress address)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            return IPAddress.Parse(e.GetString()!).Equals(address);
        }

        var prefix = e.GetProperty("prefix");
        return new IPNetwork(IPAddress.Parse(prefix.GetProperty("addr").GetString()!), prefix.GetProperty("len").GetInt32()).Contains(address);
    }

    private static bool Any(JsonElement right, Func<JsonElement, bool> predicate)
        => right.ValueKind == JsonValueKind.Object && right.TryGetProperty("set", out var set) ? set.EnumerateArray().Any(predicate) : predicate(right);
}

using System.Text.Json;

namespace Outgate.Policy.Tests;

/// <summary>
/// Checks libnftables JSON commands against the subset of libnftables-json(5) the compiler uses: command objects
/// (add/delete of table, chain, set, rule), statements (match, accept, drop, reject, log, limit, set) and expressions
/// (meta, payload, ct, prefix, range, set, literals). Returns every violation with its JSON path.
/// </summary>
internal static class NftJsonShape
{
    private static readonly HashSet<string> MetaKeys = ["iifname", "oifname", "iif", "oif", "l4proto", "nfproto", "mark", "skuid", "skgid"];
    private static readonly HashSet<string> PayloadProtocols = ["ip", "ip6", "tcp", "udp", "th", "icmp", "icmpv6"];
    private static readonly HashSet<string> PayloadFields = ["saddr", "daddr", "sport", "dport", "type", "hoplimit", "flags"];

    public static List<string> Validate(string text)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("nftables", out var commands) || commands.ValueKind != JsonValueKind.Array)
        {
            return ["root must be {\"nftables\": [...]}"];
        }

        var chains = new HashSet<string>();
        var sets = new HashSet<string>();
        var index = 0;
        foreach (var command in commands.EnumerateArray())
        {
            var path = $"nftables[{index++}]";
            if (!Single(command, out var verb, out var body) || verb is not ("add" or "delete"))
            {
                problems.Add($"{path}: a command is one of add/delete");
                continue;
            }

            if (!Single(body, out var kind, out var obj))
            {
                problems.Add($"{path}.{verb}: must hold one object");
                continue;
            }

            Require(obj, "family", JsonValueKind.String, $"{path}.{verb}.{kind}", problems);
            switch (kind)
            {
                case "table":
                    Require(obj, "name", JsonValueKind.String, path, problems);
                    break;
                case "chain":
                    Require(obj, "table", JsonValueKind.String, path, problems);
                    Require(obj, "name", JsonValueKind.String, path, problems);
                    Expect(obj, "type", ["filter"], path, problems);
                    Expect(obj, "hook", ["input", "output", "forward"], path, problems);
                    Require(obj, "prio", JsonValueKind.Number, path, problems);
                    Expect(obj, "policy", ["accept", "drop"], path, problems);
                    chains.Add(obj.GetProperty("name").GetString()!);
                    break;
                case "set":
                    Require(obj, "name", JsonValueKind.String, path, problems);
                    Expect(obj, "type", ["ipv4_addr", "ipv6_addr"], path, problems);
                    Require(obj, "size", JsonValueKind.Number, path, problems);
                    Require(obj, "timeout", JsonValueKind.Number, path, problems);
                    if (obj.TryGetProperty("flags", out var flags) && flags.EnumerateArray().Any(f => f.GetString() is not ("timeout" or "constant" or "interval")))
                    {
                        problems.Add($"{path}: set flags must be timeout/constant/interval (libnftables 1.0.6 has no 'dynamic' in JSON)");
                    }

                    sets.Add(obj.GetProperty("name").GetString()!);
                    break;
                case "rule":
                    Require(obj, "table", JsonValueKind.String, path, problems);
                    if (!obj.TryGetProperty("chain", out var chain) || !chains.Contains(chain.GetString()!))
                    {
                        problems.Add($"{path}: rule for a chain not added before it");
                    }

                    if (obj.TryGetProperty("comment", out var comment) && System.Text.Encoding.UTF8.GetByteCount(comment.GetString()!) > 128)
                    {
                        problems.Add($"{path}: comment longer than 128 bytes");
                    }

                    if (!obj.TryGetProperty("expr", out var expr) || expr.ValueKind != JsonValueKind.Array || expr.GetArrayLength() == 0)
                    {
                        problems.Add($"{path}: rule needs a non-empty expr array");
                        break;
                    }

                    var s = 0;
                    foreach (var statement in expr.EnumerateArray())
                    {
                        Statement(statement, $"{path}.rule.expr[{s++}]", sets, problems);
                    }

                    break;
                default:
                    problems.Add($"{path}: unexpected object '{kind}'");
                    break;
            }
        }

        return problems;
    }

    private static void Statement(JsonElement statement, string path, HashSet<string> sets, List<string> problems)
    {
        if (!Single(statement, out var kind, out var body))
        {
            problems.Add($"{path}: a statement is an object with one key");
            return;
        }

        switch (kind)
        {
            case "accept" or "drop":
                if (body.ValueKind != JsonValueKind.Null)
                {
                    problems.Add($"{path}: {kind} takes null");
                }

                break;
            case "vmap":
                Expression(body.GetProperty("key"), path + ".key", problems);
                foreach (var entry in body.GetProperty("data").GetProperty("set").EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2)
                    {
                        problems.Add($"{path}: vmap entries are [key, verdict]");
                        continue;
                    }

                    Expression(entry[0], path + ".data", problems);
                    Statement(entry[1], path + ".data.verdict", sets, problems);
                }

                break;
            case "match":
                Expect(body, "op", ["==", "in"], path, problems);
                if (body.TryGetProperty("left", out var left))
                {
                    Expression(left, path + ".left", problems);
                }
                else
                {
                    problems.Add($"{path}: match without left");
                }

                if (body.TryGetProperty("right", out var right))
                {
                    Expression(right, path + ".right", problems);
                }
                else
                {
                    problems.Add($"{path}: match without right");
                }

                break;
            case "reject":
                var type = body.GetProperty("type").GetString();
                if (!(type == "tcp reset" || (type == "icmpx" && body.TryGetProperty("expr", out var e) && e.GetString() == "admin-prohibited")))
                {
                    problems.Add($"{path}: reject must be tcp reset or icmpx admin-prohibited");
                }

                break;
            case "log":
                Require(body, "prefix", JsonValueKind.String, path, problems);
                break;
            case "limit":
                Require(body, "rate", JsonValueKind.Number, path, problems);
                Expect(body, "per", ["second", "minute", "hour", "day"], path, problems);
                break;
            case "set":
                Expect(body, "op", ["add", "update"], path, problems);
                if (!body.TryGetProperty("set", out var name) || name.GetString() is not { } n || !n.StartsWith('@') || !sets.Contains(n[1..]))
                {
                    problems.Add($"{path}: set statement must name a set added before it");
                }

                Expression(body.GetProperty("elem"), path + ".elem", problems);
                foreach (var inner in body.GetProperty("stmt").EnumerateArray())
                {
                    Statement(inner, path + ".stmt", sets, problems);
                }

                break;
            default:
                problems.Add($"{path}: unexpected statement '{kind}'");
                break;
        }
    }

    private static void Expression(JsonElement expression, string path, List<string> problems)
    {
        switch (expression.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.Number:
                return;
            case JsonValueKind.Array:
                foreach (var item in expression.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        problems.Add($"{path}: list elements must be strings (ct state)");
                    }
                }

                return;
            case JsonValueKind.Object when Single(expression, out var kind, out var body):
                switch (kind)
                {
                    case "meta":
                        if (!MetaKeys.Contains(body.GetProperty("key").GetString()!))
                        {
                            problems.Add($"{path}: unexpected meta key");
                        }

                        return;
                    case "ct":
                        Expect(body, "key", ["state"], path, problems);
                        return;
                    case "payload":
                        if (!PayloadProtocols.Contains(body.GetProperty("protocol").GetString()!) || !PayloadFields.Contains(body.GetProperty("field").GetString()!))
                        {
                            problems.Add($"{path}: unexpected payload {body}");
                        }

                        return;
                    case "prefix":
                        Require(body, "addr", JsonValueKind.String, path, problems);
                        Require(body, "len", JsonValueKind.Number, path, problems);
                        return;
                    case "range":
                        if (body.ValueKind != JsonValueKind.Array || body.GetArrayLength() != 2)
                        {
                            problems.Add($"{path}: range is [low, high]");
                        }

                        return;
                    case "&":
                        if (body.ValueKind != JsonValueKind.Array || body.GetArrayLength() != 2)
                        {
                            problems.Add($"{path}: a bitwise and is [expression, mask]");
                            return;
                        }

                        Expression(body[0], path + ".&", problems);
                        Expression(body[1], path + ".&", problems);
                        return;
                    case "concat":
                        foreach (var part in body.EnumerateArray())
                        {
                            Expression(part, path + ".concat", problems);
                        }

                        return;
                    case "set":
                        foreach (var element in body.EnumerateArray())
                        {
                            Expression(element, path + ".set", problems);
                        }

                        return;
                }

                break;
        }

        problems.Add($"{path}: unexpected expression {expression}");
    }

    private static bool Single(JsonElement element, out string name, out JsonElement value)
    {
        (name, value) = (string.Empty, default);
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var properties = element.EnumerateObject().ToArray();
        if (properties.Length != 1)
        {
            return false;
        }

        (name, value) = (properties[0].Name, properties[0].Value);
        return true;
    }

    private static void Require(JsonElement obj, string name, JsonValueKind kind, string path, List<string> problems)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != kind)
        {
            problems.Add($"{path}: '{name}' must be a {kind}");
        }
    }

    private static void Expect(JsonElement obj, string name, string[] allowed, string path, List<string> problems)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || !allowed.Contains(value.GetString()))
        {
            problems.Add($"{path}: '{name}' must be one of {string.Join(", ", allowed)}");
        }
    }
}

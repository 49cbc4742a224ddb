using System.Buffers;
using System.Text.Json;

namespace Outgate.Policy;

internal sealed partial class NftTableBuilder
{
    private NftRuleset Render(List<NftChain> chains, List<NftSet> tableSets)
    {
        var table = options.TableName;
        var text = new StringBuilder();
        text.Append("table inet ").Append(table).Append(" {\n");
        foreach (var set in tableSets)
        {
            switch (set.Kind)
            {
                case NftSetKind.Meter:
                    text.Append(CultureInfo.InvariantCulture, $"\tset {set.Name} {{\n\t\ttype {set.Type}\n\t\tsize {set.Size}\n\t\tflags dynamic,timeout\n\t\ttimeout {set.TimeoutSeconds}s\n\t}}\n\n");
                    break;
                case NftSetKind.Timeout:
                    text.Append(CultureInfo.InvariantCulture, $"\tset {set.Name} {{\n\t\ttype {set.Type}\n\t\tflags timeout\n\t}}\n\n");
                    break;
                default:
                    text.Append(CultureInfo.InvariantCulture, $"\tset {set.Name} {{\n\t\ttype {set.Type}\n\t\tflags interval\n\t\tauto-merge\n");
                    if (set.Elements.Count > 0)
                    {
                        text.Append("\t\telements = { ").AppendJoin(", ", set.Elements.Select(e => e.ToString())).Append(" }\n");
                    }

                    text.Append("\t}\n\n");
                    break;
            }
        }

        var ruleCount = 0;
        for (var c = 0; c < chains.Count; c++)
        {
            var chain = chains[c];
            text.Append(CultureInfo.InvariantCulture, $"\tchain {chain.Name} {{\n\t\ttype filter hook {chain.Hook} priority filter; policy {chain.Policy};\n");
            foreach (var rule in chain.Rules)
            {
                text.Append("\t\t");
                for (var s = 0; s < rule.Statements.Count; s++)
                {
                    if (s > 0)
                    {
                        text.Append(' ');
                    }

                    rule.Statements[s].WriteText(text);
                }

                if (rule.Comment is { } comment)
                {
                    text.Append(" comment \"").Append(comment).Append('"');
                }

                text.Append('\n');
                ruleCount++;
            }

            text.Append("\t}\n");
            if (c < chains.Count - 1)
            {
                text.Append('\n');
            }
        }

        text.Append("}\n");

        var create = Json(table, replace: false, chains, tableSets);
        var replace = Json(table, replace: true, chains, tableSets);
        var delete = Json(table, replace: true, [], [], deleteOnly: true);
        return new NftRuleset(table, text.ToString(), create, replace, delete, ruleCount);
    }

    private static string Json(string table, bool replace, List<NftChain> chains, List<NftSet> tableSets, bool deleteOnly = false)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("nftables");
            WriteTableCommand(json, "add", table);
            if (replace)
            {
                // "add" makes the table exist, so "delete" cannot fail; both run in the same transaction as the rest.
                WriteTableCommand(json, "delete", table);
                if (!deleteOnly)
                {
                    WriteTableCommand(json, "add", table);
                }
            }

            foreach (var set in tableSets)
            {
                json.WriteStartObject();
                json.WriteStartObject("add");
                json.WriteStartObject("set");
                json.WriteString("family", "inet");
                json.WriteString("table", table);
                json.WriteString("name", set.Name);
                json.WriteString("type", set.Type);
                if (set.Kind == NftSetKind.Meter)
                {
                    json.WriteNumber("size", set.Size);
                }

                json.WriteStartArray("flags");
                // libnftables 1.0.6 JSON knows no "dynamic" flag; nft marks the set dynamic itself because a rule adds to it.
                json.WriteStringValue(set.Kind == NftSetKind.Interval ? "interval" : "timeout");
                json.WriteEndArray();
                if (set.Kind == NftSetKind.Meter)
                {
                    json.WriteNumber("timeout", set.TimeoutSeconds);
                }
                else if (set.Kind == NftSetKind.Interval)
                {
                    json.WriteBoolean("auto-merge", true);
                }

                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
                if (set.Elements.Count > 0)
                {
                    WriteElements(json, table, set);
                }
            }

            foreach (var chain in chains)
            {
                json.WriteStartObject();
                json.WriteStartObject("add");
                json.WriteStartObject("chain");
                json.WriteString("family", "inet");
                json.WriteString("table", table);
                json.WriteString("name", chain.Name);
                json.WriteString("type", "filter");
                json.WriteString("hook", chain.Hook);
                json.WriteNumber("prio", 0);
                json.WriteString("policy", chain.Policy);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            foreach (var chain in chains)
            {
                foreach (var rule in chain.Rules)
                {
                    json.WriteStartObject();
                    json.WriteStartObject("add");
                    json.WriteStartObject("rule");
                    json.WriteString("family", "inet");
                    json.WriteString("table", table);
                    json.WriteString("chain", chain.Name);
                    if (rule.Comment is { } comment)
                    {
                        json.WriteString("comment", comment);
                    }

                    json.WriteStartArray("expr");
                    foreach (var statement in rule.Statements)
                    {
                        statement.WriteJson(json);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// <c>add element</c> with every range of an interval set, in the same transaction as the set. Elements are
    /// <c>"192.0.2.1"</c>, <c>{"prefix":{"addr":"10.0.0.0","len":8}}</c> or <c>{"range":["192.0.2.10","192.0.2.20"]}</c>.
    /// </summary>
    private static void WriteElements(Utf8JsonWriter json, string table, NftSet set)
    {
        json.WriteStartObject();
        json.WriteStartObject("add");
        json.WriteStartObject("element");
        json.WriteString("family", "inet");
        json.WriteString("table", table);
        json.WriteString("name", set.Name);
        json.WriteStartArray("elem");
        foreach (var element in set.Elements)
        {
            var text = element.ToString();
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var dash = text.IndexOf('-', StringComparison.Ordinal);
            if (slash >= 0)
            {
                json.WriteStartObject();
                json.WriteStartObject("prefix");
                json.WriteString("addr", text[..slash]);
                json.WriteNumber("len", int.Parse(text[(slash + 1)..], CultureInfo.InvariantCulture));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            else if (dash >= 0)
            {
                json.WriteStartObject();
                json.WriteStartArray("range");
                json.WriteStringValue(text[..dash]);
                json.WriteStringValue(text[(dash + 1)..]);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                json.WriteStringValue(text);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteTableCommand(Utf8JsonWriter json, string verb, string table)
    {
        json.WriteStartObject();
        json.WriteStartObject(verb);
        json.WriteStartObject("table");
        json.WriteString("family", "inet");
        json.WriteString("name", table);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

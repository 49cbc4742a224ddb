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
            text.Append(CultureInfo.InvariantCulture, $"\tset {set.Name} {{\n\t\ttype {set.Type}\n\t\tsize {set.Size}\n\t\tflags dynamic,timeout\n\t\ttimeout {set.TimeoutSeconds}s\n\t}}\n\n");
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
                json.WriteNumber("size", set.Size);
                json.WriteStartArray("flags");
                // libnftables 1.0.6 JSON knows no "dynamic" flag; nft marks the set dynamic itself because a rule adds to it.
                json.WriteStringValue("timeout");
                json.WriteEndArray();
                json.WriteNumber("timeout", set.TimeoutSeconds);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
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

using System.Text.Json;

namespace Outgate.Policy.Import;

/// <summary>
/// One OpenSnitch rule file, checked for shape:
/// <code>
/// {"name": "...", "enabled": true, "precedence": false, "action": "allow|deny|reject", "duration": "always",
///  "operator": {"type": "simple|regexp|network|range|list|lists", "operand": "dest.host", "sensitive": false, "data": "...", "list": [...]}}
/// </code>
/// </summary>
internal sealed record OpenSnitchRule(string File, string Name, bool Enabled, bool Precedence, string Action, string Duration, OpenSnitchOperator Operator)
{
    /// <summary>Largest operator nesting and list length accepted (OpenSnitch's UI writes one level of a handful of items).</summary>
    public const int MaxDepth = 16;

    public const int MaxListItems = 256;

    public static OpenSnitchRule Parse(ImportSourceFile file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.Text, new JsonDocumentOptions { MaxDepth = 2 * MaxDepth + 4, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            throw new ImportInputException(file.Path, (int)(ex.LineNumber ?? -1) + 1,
                $"not valid JSON: {ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}",
                "OpenSnitch rule files are one JSON object each; restore the file from OpenSnitch or remove it from the directory");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Throw(file.Path, "the file is not a JSON object", "an OpenSnitch rule file holds one object with name, action and operator");
            }

            var name = Text(file.Path, root, "name", required: true)!;
            return new OpenSnitchRule(
                file.Path,
                name,
                Bool(file.Path, root, "enabled", true),
                Bool(file.Path, root, "precedence", false),
                Text(file.Path, root, "action", required: true)!,
                Text(file.Path, root, "duration", required: false) ?? "always",
                ParseOperator(file.Path, Member(file.Path, root, "operator", JsonValueKind.Object, "operator")!.Value, "operator", 0));
        }
    }

    private static OpenSnitchOperator ParseOperator(string file, JsonElement element, string where, int depth)
    {
        if (depth > MaxDepth)
        {
            Throw(file, $"{where}: operators nested deeper than {MaxDepth}", "OpenSnitch writes one 'list' level; flatten the rule");
        }

        var list = new List<OpenSnitchOperator>();
        if (Member(file, element, "list", JsonValueKind.Array, where) is { } items)
        {
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (index >= MaxListItems)
                {
                    Throw(file, $"{where}.list has more than {MaxListItems} operators", "split the rule");
                }

                if (item.ValueKind != JsonValueKind.Object)
                {
                    Throw(file, $"{where}.list[{index}] is {Kind(item)}, expected an operator object", "each list item is {\"type\", \"operand\", \"data\"}");
                }

                list.Add(ParseOperator(file, item, $"{where}.list[{index}]", depth + 1));
                index++;
            }
        }

        return new OpenSnitchOperator(
            Text(file, element, "type", required: true, where)!,
            Text(file, element, "operand", required: true, where)!,
            Text(file, element, "data", required: false, where) ?? "",
            Bool(file, element, "sensitive", false, where),
            list);
    }

    private static JsonElement? Member(string file, JsonElement parent, string name, JsonValueKind kind, string where)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (name == "operator")
            {
                Throw(file, "missing 'operator'", "every rule has an operator saying what it matches");
            }

            return null;
        }

        if (value.ValueKind != kind)
        {
            Throw(file, $"{where}.{name} is {Kind(value)}, expected {(kind == JsonValueKind.Array ? "an array" : "an object")}", "restore the file from OpenSnitch");
        }

        return value;
    }

    private static string? Text(string file, JsonElement parent, string name, bool required, string where = "")
    {
        var path = where.Length == 0 ? name : $"{where}.{name}";
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Throw(file, $"missing '{path}'", "OpenSnitch rules have name, action and operator.type/operand");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Throw(file, $"'{path}' is {Kind(value)}, expected a string", "write it in double quotes, as OpenSnitch does");
        }

        return value.GetString();
    }

    private static bool Bool(string file, JsonElement parent, string name, bool fallback, string where = "")
    {
        var path = where.Length == 0 ? name : $"{where}.{name}";
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => ThrowBool(file, path, value),
        };
    }

    private static bool ThrowBool(string file, string path, JsonElement value)
    {
        Throw(file, $"'{path}' is {Kind(value)}, expected true or false", "write true or false without quotes");
        return false;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Quote.Escape(value.GetString() ?? "")}\"",
        JsonValueKind.Number => $"the number {Quote.Escape(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    [DoesNotReturn]
    private static void Throw(string file, string problem, string hint) => throw new ImportInputException(file, 0, problem, hint);
}

/// <summary>One OpenSnitch operator; <see cref="List"/> holds the operands of a <c>list</c> (all must match).</summary>
internal sealed record OpenSnitchOperator(string Type, string Operand, string Data, bool Sensitive, IReadOnlyList<OpenSnitchOperator> List);

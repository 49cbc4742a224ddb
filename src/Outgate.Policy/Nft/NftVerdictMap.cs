using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>KEY vmap { k1 : accept, k2 : drop }</c>: one hash lookup instead of a run of exact-match rules.</summary>
internal sealed record NftVerdictMap(NftExpression Key, IReadOnlyList<(NftExpression Element, NftVerdict Verdict)> Entries) : NftStatement
{
    public override void WriteText(StringBuilder text)
    {
        Key.WriteText(text);
        text.Append(" vmap { ");
        for (var i = 0; i < Entries.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            Entries[i].Element.WriteText(text);
            text.Append(" : ");
            Entries[i].Verdict.WriteText(text);
        }

        text.Append(" }");
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("vmap");
        json.WritePropertyName("key");
        Key.WriteJson(json);
        json.WriteStartObject("data");
        json.WriteStartArray("set");
        foreach (var (element, verdict) in Entries)
        {
            json.WriteStartArray();
            element.WriteJson(json);
            verdict.WriteJson(json);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

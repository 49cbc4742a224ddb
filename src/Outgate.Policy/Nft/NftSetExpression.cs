using System.Text.Json;

namespace Outgate.Policy;

/// <summary>An anonymous set <c>{ a, b }</c> (JSON <c>{"set":[a,b]}</c>).</summary>
internal sealed record NftSetExpression(IReadOnlyList<NftExpression> Elements) : NftExpression
{
    public override void WriteText(StringBuilder text)
    {
        text.Append("{ ");
        for (var i = 0; i < Elements.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            Elements[i].WriteText(text);
        }

        text.Append(" }");
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("set");
        foreach (var element in Elements)
        {
            element.WriteJson(json);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

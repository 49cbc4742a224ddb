using System.Text.Json;

namespace Outgate.Policy;

/// <summary>A concatenation <c>ip daddr . tcp dport</c> or an element <c>10.0.0.1 . 443</c> (JSON <c>{"concat":[..]}</c>).</summary>
internal sealed record NftConcatExpression(IReadOnlyList<NftExpression> Parts) : NftExpression
{
    public override void WriteText(StringBuilder text)
    {
        for (var i = 0; i < Parts.Count; i++)
        {
            if (i > 0)
            {
                text.Append(" . ");
            }

            Parts[i].WriteText(text);
        }
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("concat");
        foreach (var part in Parts)
        {
            part.WriteJson(json);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

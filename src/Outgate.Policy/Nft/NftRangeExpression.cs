using System.Text.Json;

namespace Outgate.Policy;

/// <summary>An inclusive range <c>1000-2000</c> (JSON <c>{"range":[1000,2000]}</c>).</summary>
internal sealed record NftRangeExpression(long First, long Last) : NftExpression
{
    public override void WriteText(StringBuilder text) => text.Append(CultureInfo.InvariantCulture, $"{First}-{Last}");

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("range");
        json.WriteNumberValue(First);
        json.WriteNumberValue(Last);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}

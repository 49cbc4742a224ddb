using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>LEFT RIGHT</c> (op <c>==</c>, implicit in text) or <c>ct state a,b</c> (op <c>in</c>, JSON right is an array).</summary>
internal sealed record NftMatch(NftExpression Left, NftExpression Right) : NftStatement
{
    public override void WriteText(StringBuilder text)
    {
        Left.WriteText(text);
        text.Append(' ');
        Right.WriteText(text);
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("match");
        json.WriteString("op", "==");
        json.WritePropertyName("left");
        Left.WriteJson(json);
        json.WritePropertyName("right");
        Right.WriteJson(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

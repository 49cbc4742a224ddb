using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>LEFT RIGHT</c> (op <c>==</c>, implicit in text) or <c>LEFT != RIGHT</c> (<paramref name="Op"/> <c>!=</c>: not equal, or not in a set).</summary>
internal sealed record NftMatch(NftExpression Left, NftExpression Right, string Op = "==") : NftStatement
{
    public override void WriteText(StringBuilder text)
    {
        Left.WriteText(text);
        text.Append(' ');
        if (Op != "==")
        {
            text.Append(Op).Append(' ');
        }

        Right.WriteText(text);
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("match");
        json.WriteString("op", Op);
        json.WritePropertyName("left");
        Left.WriteJson(json);
        json.WritePropertyName("right");
        Right.WriteJson(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

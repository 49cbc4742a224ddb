using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>ct state established,related</c> (a bitmask match: JSON op <c>in</c>).</summary>
internal sealed record NftCtStateMatch(IReadOnlyList<string> States) : NftStatement
{
    public override void WriteText(StringBuilder text) => text.Append("ct state ").Append(string.Join(',', States));

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("match");
        json.WriteString("op", "in");
        json.WritePropertyName("left");
        new NftMetaExpression("state", Ct: true).WriteJson(json);
        if (States.Count == 1)
        {
            json.WriteString("right", States[0]);
        }
        else
        {
            json.WriteStartArray("right");
            foreach (var state in States)
            {
                json.WriteStringValue(state);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}

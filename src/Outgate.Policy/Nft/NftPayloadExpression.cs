using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>PROTOCOL FIELD</c>, e.g. <c>ip saddr</c>, <c>tcp dport</c>, <c>th dport</c>, <c>icmpv6 type</c>.</summary>
internal sealed record NftPayloadExpression(string Protocol, string Field) : NftExpression
{
    public override void WriteText(StringBuilder text) => text.Append(Protocol).Append(' ').Append(Field);

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("payload");
        json.WriteString("protocol", Protocol);
        json.WriteString("field", Field);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

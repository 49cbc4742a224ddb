using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>tcp flags &amp; (syn | ack) == ack</c>: a TCP packet with ACK and without SYN (one that cannot open a connection).</summary>
internal sealed record NftTcpFlagsMatch : NftStatement
{
    public override void WriteText(StringBuilder text) => text.Append("tcp flags & (syn | ack) == ack");

    public override void WriteJson(Utf8JsonWriter json)
    {
        // {"match":{"op":"==","left":{"&":[{"payload":{"protocol":"tcp","field":"flags"}},["syn","ack"]]},"right":"ack"}}
        json.WriteStartObject();
        json.WriteStartObject("match");
        json.WriteString("op", "==");
        json.WriteStartObject("left");
        json.WriteStartArray("&");
        NftExpression.Payload("tcp", "flags").WriteJson(json);
        json.WriteStartArray();
        json.WriteStringValue("syn");
        json.WriteStringValue("ack");
        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteString("right", "ack");
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

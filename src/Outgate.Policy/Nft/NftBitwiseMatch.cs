using System.Text.Json;

namespace Outgate.Policy;

/// <summary>
/// <c>LEFT &amp; MASK == VALUE</c>: <c>meta mark &amp; 0x00200000 == 0x00200000</c> (a daemon verdict bit) or
/// <c>tcp flags &amp; (syn | ack) == ack</c>. JSON: <c>{"match":{"op":"==","left":{"&amp;":[LEFT,MASK]},"right":VALUE}}</c>.
/// </summary>
internal sealed record NftBitwiseMatch(NftExpression Left, NftExpression Mask, NftExpression Value) : NftStatement
{
    /// <summary>The packet's mark has every bit of <paramref name="bits"/>.</summary>
    public static NftBitwiseMatch MarkHas(uint bits) => new(NftExpression.Meta("mark"), new NftHexLiteral(bits), new NftHexLiteral(bits));

    /// <summary>A TCP packet with ACK and without SYN.</summary>
    public static NftBitwiseMatch TcpAckWithoutSyn() => new(NftExpression.Payload("tcp", "flags"), new NftFlagList(["syn", "ack"]), NftExpression.Symbol("ack"));

    public override void WriteText(StringBuilder text)
    {
        Left.WriteText(text);
        text.Append(" & ");
        Mask.WriteText(text);
        text.Append(" == ");
        Value.WriteText(text);
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("match");
        json.WriteString("op", "==");
        json.WriteStartObject("left");
        json.WriteStartArray("&");
        Left.WriteJson(json);
        Mask.WriteJson(json);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WritePropertyName("right");
        Value.WriteJson(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

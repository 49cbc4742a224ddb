using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>meta mark &amp; MASK == MASK</c>: the packet carries every bit of <see cref="Mask"/> (the daemon's verdict bits).</summary>
internal sealed record NftMarkMatch(uint Mask) : NftStatement
{
    public override void WriteText(StringBuilder text)
        => text.Append(CultureInfo.InvariantCulture, $"meta mark & 0x{Mask:x8} == 0x{Mask:x8}");

    public override void WriteJson(Utf8JsonWriter json)
    {
        // {"match":{"op":"==","left":{"&":[{"meta":{"key":"mark"}},MASK]},"right":MASK}}
        json.WriteStartObject();
        json.WriteStartObject("match");
        json.WriteString("op", "==");
        json.WriteStartObject("left");
        json.WriteStartArray("&");
        NftExpression.Meta("mark").WriteJson(json);
        json.WriteNumberValue(Mask);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteNumber("right", Mask);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

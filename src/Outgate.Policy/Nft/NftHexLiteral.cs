using System.Text.Json;

namespace Outgate.Policy;

/// <summary>A 32-bit value written as <c>0x%08x</c> in nft text (how nft lists marks) and as a number in JSON.</summary>
internal sealed record NftHexLiteral(uint Value) : NftExpression
{
    public override void WriteText(StringBuilder text) => text.Append(CultureInfo.InvariantCulture, $"0x{Value:x8}");

    public override void WriteJson(Utf8JsonWriter json) => json.WriteNumberValue(Value);
}

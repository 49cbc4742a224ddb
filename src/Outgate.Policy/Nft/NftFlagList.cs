using System.Text.Json;

namespace Outgate.Policy;

/// <summary>Flag names or-ed together: <c>(syn | ack)</c> in nft text, <c>["syn","ack"]</c> in JSON.</summary>
internal sealed record NftFlagList(IReadOnlyList<string> Flags) : NftExpression
{
    public override void WriteText(StringBuilder text) => text.Append('(').Append(string.Join(" | ", Flags)).Append(')');

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartArray();
        foreach (var flag in Flags)
        {
            json.WriteStringValue(flag);
        }

        json.WriteEndArray();
    }
}

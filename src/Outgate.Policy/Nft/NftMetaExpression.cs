using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>meta KEY</c> (iifname, oifname, iif, oif, l4proto, nfproto); <c>ct KEY</c> when <see cref="Ct"/>.</summary>
internal sealed record NftMetaExpression(string Key, bool Ct = false) : NftExpression
{
    public override void WriteText(StringBuilder text)
        => text.Append(Ct ? "ct " : Key is "iifname" or "oifname" or "iif" or "oif" ? "" : "meta ").Append(Key);

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject(Ct ? "ct" : "meta");
        json.WriteString("key", Key);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

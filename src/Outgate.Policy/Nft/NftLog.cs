using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>log prefix "..."</c> (kernel log, level warn; rate limiting is a separate <see cref="NftLimit"/> before it).</summary>
internal sealed record NftLog(string Prefix) : NftStatement
{
    public override void WriteText(StringBuilder text) => text.Append("log prefix \"").Append(Prefix).Append('"');

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("log");
        json.WriteString("prefix", Prefix);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

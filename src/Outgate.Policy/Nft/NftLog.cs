using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>log prefix "..."</c>, optionally <c>flags all</c> (ufw log-all / high levels add details).</summary>
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

using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>reject with tcp reset</c> or <c>reject with icmpx type admin-prohibited</c>.</summary>
internal sealed record NftReject(bool TcpReset) : NftStatement
{
    public override void WriteText(StringBuilder text)
        => text.Append(TcpReset ? "reject with tcp reset" : "reject with icmpx type admin-prohibited");

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("reject");
        if (TcpReset)
        {
            json.WriteString("type", "tcp reset");
        }
        else
        {
            json.WriteString("type", "icmpx");
            json.WriteString("expr", "admin-prohibited");
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}

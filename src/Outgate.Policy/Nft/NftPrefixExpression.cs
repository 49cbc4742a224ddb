using System.Text.Json;

namespace Outgate.Policy;

/// <summary>A network <c>10.0.0.0/8</c> (JSON <c>{"prefix":{"addr":..,"len":..}}</c>); a host is written as a plain address.</summary>
internal sealed record NftPrefixExpression(IPNetwork Network) : NftExpression
{
    public bool IsHost => Network.PrefixLength == (Network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);

    public override void WriteText(StringBuilder text) => text.Append(AddressSyntax.Format(Network));

    public override void WriteJson(Utf8JsonWriter json)
    {
        if (IsHost)
        {
            json.WriteStringValue(Network.BaseAddress.ToString());
            return;
        }

        json.WriteStartObject();
        json.WriteStartObject("prefix");
        json.WriteString("addr", Network.BaseAddress.ToString());
        json.WriteNumber("len", Network.PrefixLength);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

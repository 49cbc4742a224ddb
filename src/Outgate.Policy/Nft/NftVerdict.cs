using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>accept</c> or <c>drop</c>.</summary>
internal sealed record NftVerdict(string Kind) : NftStatement
{
    public static NftVerdict Accept { get; } = new("accept");

    public static NftVerdict Drop { get; } = new("drop");

    public override void WriteText(StringBuilder text) => text.Append(Kind);

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNull(Kind);
        json.WriteEndObject();
    }
}

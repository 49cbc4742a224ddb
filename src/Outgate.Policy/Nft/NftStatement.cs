using System.Text.Json;

namespace Outgate.Policy;

/// <summary>One statement of an nft rule, rendered as nft text and as a libnftables JSON statement object.</summary>
internal abstract record NftStatement
{
    public abstract void WriteText(StringBuilder text);

    public abstract void WriteJson(Utf8JsonWriter json);
}

using System.Text.Json;

namespace Outgate.Policy;

/// <summary>An nft expression rendered both as nft text and as libnftables JSON (libnftables-json(5)).</summary>
internal abstract record NftExpression
{
    public abstract void WriteText(StringBuilder text);

    public abstract void WriteJson(Utf8JsonWriter json);

    public static NftExpression Meta(string key) => new NftMetaExpression(key);

    public static NftExpression Payload(string protocol, string field) => new NftPayloadExpression(protocol, field);

    public static NftExpression Symbol(string value) => new NftLiteral(value, null, Quoted: false);

    public static NftExpression String(string value) => new NftLiteral(value, null, Quoted: true);

    public static NftExpression Number(long value) => new NftLiteral(null, value, Quoted: false);
}

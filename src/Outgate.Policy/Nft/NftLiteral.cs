using System.Text.Json;

namespace Outgate.Policy;

/// <summary>A value: a number, a symbol (<c>tcp</c>, <c>echo-request</c>, an address) or a quoted string (interface names).</summary>
internal sealed record NftLiteral(string? Text, long? Value, bool Quoted) : NftExpression
{
    public override void WriteText(StringBuilder text)
    {
        if (Value is { } number)
        {
            text.Append(number.ToString(CultureInfo.InvariantCulture));
        }
        else if (Quoted)
        {
            text.Append('"').Append(Text).Append('"');
        }
        else
        {
            text.Append(Text);
        }
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        if (Value is { } number)
        {
            json.WriteNumberValue(number);
        }
        else
        {
            json.WriteStringValue(Text);
        }
    }
}

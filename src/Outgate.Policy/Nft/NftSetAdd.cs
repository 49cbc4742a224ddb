using System.Text.Json;

namespace Outgate.Policy;

/// <summary>
/// <c>add @SET { ELEMENT limit rate over ... }</c>: a per-element token bucket in a dynamic set (the modern form of
/// <c>meter</c>). The rule continues past this statement only when the element's rate is over the limit.
/// </summary>
internal sealed record NftSetAdd(string SetName, NftExpression Element, NftLimit Limit) : NftStatement
{
    public override void WriteText(StringBuilder text)
    {
        text.Append("add @").Append(SetName).Append(" { ");
        Element.WriteText(text);
        text.Append(' ');
        Limit.WriteText(text);
        text.Append(" }");
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("set");
        json.WriteString("op", "add");
        json.WritePropertyName("elem");
        Element.WriteJson(json);
        json.WriteString("set", "@" + SetName);
        json.WriteStartArray("stmt");
        Limit.WriteJson(json);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

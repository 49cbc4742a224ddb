using System.Text.Json;

namespace Outgate.Policy;

/// <summary><c>limit rate [over] RATE/PER burst N packets</c>.</summary>
internal sealed record NftLimit(int Rate, string Per, int Burst, bool Over = false) : NftStatement
{
    /// <summary>ufw's log rate limit: 3 per minute, burst 10.</summary>
    public static NftLimit Logging { get; } = new(3, "minute", 10);

    public override void WriteText(StringBuilder text)
        => text.Append(CultureInfo.InvariantCulture, $"limit rate {(Over ? "over " : "")}{Rate}/{Per} burst {Burst} packets");

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        WriteBody(json);
        json.WriteEndObject();
    }

    public void WriteBody(Utf8JsonWriter json)
    {
        json.WriteStartObject("limit");
        json.WriteNumber("rate", Rate);
        json.WriteString("per", Per);
        json.WriteNumber("burst", Burst);
        if (Over)
        {
            json.WriteBoolean("inv", true);
        }

        json.WriteEndObject();
    }
}

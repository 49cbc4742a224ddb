using System.Text.Json;

namespace Outgate.Linux.ProcFs;

/// <summary>Reads the container name from docker's <c>/var/lib/docker/containers/&lt;id&gt;/config.v2.json</c> (<c>"Name":"/web"</c> → <c>web</c>).</summary>
public static class DockerConfigParser
{
    public static bool TryGetName(ReadOnlySpan<byte> json, out string name)
    {
        name = "";
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject) return false;
                if (reader.TokenType != JsonTokenType.PropertyName) return false;
                var isName = reader.ValueTextEquals("Name"u8);
                if (!reader.Read()) return false;
                if (isName && reader.TokenType == JsonTokenType.String)
                {
                    var value = reader.GetString() ?? "";
                    name = value.TrimStart('/');
                    return name.Length > 0;
                }
                reader.Skip();
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false; // e.g. invalid UTF-8 inside a string token
        }
    }
}

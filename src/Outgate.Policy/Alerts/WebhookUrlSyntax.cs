namespace Outgate.Policy;

/// <summary><c>[alerts.webhook] url</c>: an absolute <c>http://</c> or <c>https://</c> URL with a host.</summary>
public static class WebhookUrlSyntax
{
    public static bool TryParse(string text, [NotNullWhen(true)] out Uri? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        var trimmed = text.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || !trimmed.Contains("://", StringComparison.Ordinal))
        {
            error = $"'{Quote.Escape(text)}' is not a URL: expected e.g. \"https://hooks.example/outgate\"";
            return false;
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            error = $"webhook scheme '{Quote.Escape(uri.Scheme)}' is not supported: use https:// (or http:// on a trusted network)";
            return false;
        }

        if (uri.Host.Length == 0 || uri.Fragment.Length > 0)
        {
            error = $"webhook URL '{Quote.Escape(text)}' needs a host and no #fragment";
            return false;
        }

        url = uri;
        error = null;
        return true;
    }
}

using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outgate.Daemon.Api;
using Outgate.Daemon.Events;
using Outgate.Daemon.Hosting;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// <c>[alerts.webhook] url</c>: one JSON POST per alert, the event exactly as <c>GET /v1/events</c> writes it plus
/// <c>"host"</c> (which machine raised it, for a fleet posting to one receiver). 5 s per request; any non-2xx answer is a
/// failure the forwarder retries.
/// </summary>
public sealed class WebhookSink : IAlertSink, IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private readonly string _hostName;

    public WebhookSink()
    {
        _hostName = System.Net.Dns.GetHostName();
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1), AllowAutoRedirect = false }) { Timeout = Timeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("outgated", DaemonInfo.Version));
    }

    public string Name => "webhook";

    public bool IsEnabled(AlertSettings settings) => settings.Sinks.Webhook is not null;

    /// <summary>The body posted for <paramref name="alert"/>.</summary>
    public static string Body(DaemonEvent alert, string hostName)
    {
        var node = JsonSerializer.SerializeToNode(alert, DaemonJsonContext.Default.DaemonEvent)!.AsObject();
        node["host"] = hostName;
        return node.ToJsonString();
    }

    public async Task SendAsync(DaemonEvent alert, AlertSettings settings, CancellationToken cancellationToken)
    {
        var url = settings.Sinks.Webhook ?? throw new InvalidOperationException("no [alerts.webhook] url is set");
        using var content = new StringContent(Body(alert, _hostName), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(url, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
    }

    public void Dispose() => _http.Dispose();
}

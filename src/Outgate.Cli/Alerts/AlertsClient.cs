using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Alerts;

/// <summary>
/// The alerts API over outgated's unix socket. The shared <see cref="DaemonClient"/> answers a status call first, so
/// "not running" and "permission denied" read exactly as for every other command.
/// </summary>
public sealed class AlertsClient(DaemonClient daemon) : IDisposable
{
    private readonly HttpClient _http = DaemonHttp.Create(daemon.SocketPath, TimeSpan.FromSeconds(30));
    private bool _checked;

    public async Task<AlertsPage> ListAsync(int? limit, DateTimeOffset? since, bool includeAcknowledged, CancellationToken ct)
    {
        var query = new List<string>();
        if (limit is { } n) query.Add("limit=" + n.ToString(CultureInfo.InvariantCulture));
        if (since is { } s) query.Add("since=" + Uri.EscapeDataString(s.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        if (!includeAcknowledged) query.Add("unacked=true");
        return await SendAsync(HttpMethod.Get, "v1/alerts" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), AlertsJsonContext.Default.AlertsPage, ct);
    }

    /// <summary>Acknowledges one alert; an unknown id arrives as a 404 <see cref="DaemonRequestException"/>.</summary>
    public Task<AckResult> AcknowledgeAsync(long id, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"v1/alerts/{id.ToString(CultureInfo.InvariantCulture)}/ack", AlertsJsonContext.Default.AckResult, ct);

    public Task<AckAllResult> AcknowledgeAllAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "v1/alerts/ack-all", AlertsJsonContext.Default.AckAllResult, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        if (!_checked)
        {
            await daemon.GetStatusAsync(ct);
            _checked = true;
        }
        string body;
        HttpStatusCode status;
        try
        {
            using var request = new HttpRequestMessage(method, path);
            using var response = await _http.SendAsync(request, ct);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DaemonUnavailableException($"outgated did not answer within 30 s on {daemon.SocketPath}: it may be hung; see `journalctl -u outgated`");
        }
        catch (HttpRequestException ex)
        {
            throw new DaemonUnavailableException($"cannot talk to outgated on {daemon.SocketPath}: {ex.Message}", ex);
        }

        try
        {
            if ((int)status is < 200 or > 299)
            {
                var error = JsonSerializer.Deserialize(body, AlertsJsonContext.Default.ApiError);
                if (status == HttpStatusCode.NotFound && error?.Error?.StartsWith("no such endpoint", StringComparison.Ordinal) == true)
                    throw new DaemonRequestException(404, error.Error, "this outgated is older than this outgate: update it so both are the same version");
                throw new DaemonRequestException((int)status, error?.Error ?? $"outgated answered {(int)status}", error?.Hint);
            }
            return JsonSerializer.Deserialize(body, type) ?? throw new DaemonUnavailableException($"outgated sent an empty answer to {method} /{path}");
        }
        catch (JsonException ex)
        {
            throw new DaemonUnavailableException($"outgated sent an answer this outgate cannot read ({ex.Message}): are outgate and outgated the same version?", ex);
        }
    }

    public void Dispose() => _http.Dispose();
}

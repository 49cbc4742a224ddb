using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Fleet;

/// <summary>
/// GETs the fleet endpoints over outgated's unix socket and returns the body as it came (so --json prints the daemon's
/// own answer). Failures become <see cref="DaemonUnavailableException"/> (no daemon, no permission),
/// <see cref="FleetUnavailableException"/> (no fleet database, or it failed) or <see cref="DaemonRequestException"/>.
/// </summary>
public sealed class FleetClient(string socketPath) : IDisposable
{
    private readonly HttpClient _http = DaemonHttp.Create(socketPath, TimeSpan.FromSeconds(60));

    public async Task<string> GetAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(socketPath))
            throw new DaemonUnavailableException($"outgated is not running (no socket at {socketPath}): start it with `sudo systemctl start outgated` or `sudo outgated`");
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(path, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied })
        {
            throw new DaemonUnavailableException($"permission denied on {socketPath}: only root and the outgate group may use outgated; {DaemonClient.GroupHint}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DaemonUnavailableException($"cannot talk to outgated on {socketPath}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new DaemonUnavailableException($"outgated did not answer {path} within 60 s on {socketPath}: the fleet database may be slow; see `outgate fleet status`", ex);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode) return body;
            ApiError? error = null;
            try { error = JsonSerializer.Deserialize(body, FleetCliJsonContext.Default.ApiError); }
            catch (JsonException) { }
            var message = error?.Error ?? $"outgated answered {(int)response.StatusCode} {response.ReasonPhrase}";
            throw response.StatusCode switch
            {
                HttpStatusCode.Forbidden => new DaemonUnavailableException(message + "; " + (error?.Hint ?? DaemonClient.GroupHint)),
                HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway => new FleetUnavailableException(message, error?.Hint),
                HttpStatusCode.NotFound when message.StartsWith("no such endpoint", StringComparison.Ordinal) =>
                    new DaemonRequestException(404, message, "this outgated is older than this outgate: update it so both are the same version"),
                _ => new DaemonRequestException((int)response.StatusCode, message, error?.Hint),
            };
        }
    }

    public void Dispose() => _http.Dispose();
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Top;

/// <summary>
/// Reads <c>GET /v1/traffic</c> over outgated's unix socket, failing the way <see cref="DaemonClient"/> does:
/// <see cref="DaemonUnavailableException"/> when the daemon is not running or refuses this user,
/// <see cref="DaemonRequestException"/> when it rejects the request.
/// </summary>
public sealed class TrafficClient(string socketPath) : IDisposable
{
    private readonly HttpClient _http = DaemonHttp.Create(socketPath, Timeout.InfiniteTimeSpan, pooledConnectionIdleTimeout: TimeSpan.FromSeconds(30));

    public string SocketPath { get; } = socketPath;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public async Task<TrafficSnapshot> GetTrafficAsync(CancellationToken ct)
    {
        if (!File.Exists(SocketPath)) throw NotRunning();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await _http.GetAsync("v1/traffic", timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode) throw Refused(response, body);
            return JsonSerializer.Deserialize(body, TopJsonContext.Default.TrafficSnapshot)
                ?? throw new DaemonUnavailableException("outgated sent an empty answer to GET /v1/traffic");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new DaemonUnavailableException($"outgated did not answer within {RequestTimeout.TotalSeconds:0} s on {SocketPath}: it may be hung; see `journalctl -u outgated`");
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException se)
        {
            throw se.SocketErrorCode switch
            {
                SocketError.AccessDenied => new DaemonUnavailableException($"permission denied on {SocketPath}: only root and the outgate group may use outgated; {DaemonClient.GroupHint}", ex),
                SocketError.ConnectionRefused => new DaemonUnavailableException($"outgated is not running (nothing listens on {SocketPath}): start it with `sudo systemctl start outgated` or `sudo outgated`", ex),
                SocketError.AddressNotAvailable or SocketError.HostNotFound => NotRunning(ex),
                _ => new DaemonUnavailableException($"cannot reach outgated on {SocketPath}: {se.Message}", ex),
            };
        }
        catch (HttpRequestException ex)
        {
            throw File.Exists(SocketPath) ? new DaemonUnavailableException($"cannot talk to outgated on {SocketPath}: {ex.Message}", ex) : NotRunning(ex);
        }
        catch (JsonException ex)
        {
            throw new DaemonUnavailableException($"outgated sent traffic this outgate cannot read ({ex.Message}): are outgate and outgated the same version?", ex);
        }
    }

    private static Exception Refused(HttpResponseMessage response, string body)
    {
        ApiError? error = null;
        try { error = JsonSerializer.Deserialize(body, TopJsonContext.Default.ApiError); }
        catch (JsonException) { }
        var message = error?.Error ?? $"outgated answered {(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.StatusCode == HttpStatusCode.Forbidden)
            return new DaemonUnavailableException(message + "; " + (error?.Hint ?? DaemonClient.GroupHint));
        if (response.StatusCode == HttpStatusCode.NotFound && message.StartsWith("no such endpoint", StringComparison.Ordinal))
            return new DaemonRequestException(404, message, "this outgated is older than this outgate (no GET /v1/traffic): update it so both are the same version");
        return new DaemonRequestException((int)response.StatusCode, message, error?.Hint);
    }

    private DaemonUnavailableException NotRunning(Exception? inner = null) =>
        new($"outgated is not running (no socket at {SocketPath}): start it with `sudo systemctl start outgated` or `sudo outgated`", inner);

    public void Dispose() => _http.Dispose();
}
